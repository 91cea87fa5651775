/**
 * The model of the paper's Section 3.2: the paper's encoder, a convolutional LSTM, a "count
 * cells" head, and a board decoder that is trained on the initial state only.
 *
 *   h(0) = encoder(s_1)                      encoderLayers x [3x3 conv, LeakyReLU]
 *   x    = h(0), the LSTM's input at every timestep; c(0) = 0
 *   i, f, g, o = 3x3 conv(x) + 3x3 conv(h(t-1)) + bias, split in four (sigmoid, sigmoid,
 *          tanh, sigmoid)
 *   c(t) = f * c(t-1) + i * g,  h(t) = o * tanh(c(t))          t = 1..lstmTimesteps
 *   count(t) = dense(mean over cells(countLayers x [3x3 conv, LeakyReLU](h(t))))
 *   board(t) = decoder(h(t))                 (decoderLayers - 1) x [conv, LeakyReLU], conv to 1
 *
 * Why the LSTM starts from the encoder output (h(0) = encoder(s_1)): the decoder is trained on
 * h(0) only, and the same recurrent convolution then reads h(0), h(1), ... in turn, as the
 * paper's RNN reads its residual states; the hidden states share one code only if the LSTM's
 * first step reads the encoder's. The input convolution of x is the same at every timestep,
 * so it is computed once. The forget gate's bias starts at 1 (Keras's `unit_forget_bias`).
 * The count head averages over cells where the reference flattens them into its dense layer:
 * the same form for every board size, and the form of a count.
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import { createDecoder, type Decoder } from "../decoders/decoder.ts";
import type { Rng } from "../stats/rng.ts";
import {
  applyDense,
  type ConvLayer,
  convLayer,
  convStack,
  type DenseLayer,
  denseLayer,
  variablesOf,
} from "../layers/layers.ts";

/** The cell-count model's shape. */
export interface ConvLstmConfig {
  /** Board rows = columns (reference: 10 for this task). */
  boardSize: number;
  /** Game of Life steps k: the count target is the live fraction of s_(k+1). */
  golTimesteps: number;
  /** LSTM timesteps n: hidden states h(1)..h(n) after h(0) = encoder output. */
  lstmTimesteps: number;
  /** Channels of the encoder, of the LSTM state and of the heads (paper: 20). */
  encodedSize: number;
  /** Conv + LeakyReLU layers of the encoder (paper: 1). */
  encoderLayers: number;
  /** Layers of the board decoder (the last is a linear conv to 1 channel; paper: 1). */
  decoderLayers: number;
  /** Conv + LeakyReLU layers of the count head before its dense output. */
  countLayers: number;
  /**
   * The reference's "task autoencoder": the count head is also trained on h(0) against the
   * live fraction of s_1, which ties the LSTM's last state to the encoder's code.
   */
  countAutoencoder: boolean;
}

/** The ConvLSTM cell's weights. */
export interface ConvLstmCell {
  /** Input convolution (encodedSize -> 4 x encodedSize), carries the gates' bias. */
  input: ConvLayer;
  /** Recurrent convolution (encodedSize -> 4 x encodedSize), bias unused (zero). */
  recurrent: ConvLayer;
}

/** The count head: convolutions, the mean over cells, a dense layer to one number. */
export interface CountHead {
  /** Conv + LeakyReLU layers. */
  convs: ConvLayer[];
  /** Dense layer [encodedSize, 1]. */
  dense: DenseLayer;
}

/** The whole cell-count model. */
export interface CountModel {
  /** The configuration it was built from. */
  config: ConvLstmConfig;
  /** Encoder: 1 -> encodedSize channels. */
  encoder: ConvLayer[];
  /** The LSTM. */
  cell: ConvLstmCell;
  /** The count head. */
  count: CountHead;
  /** The board decoder (trained on h(0) only). */
  decoder: Decoder;
}

/**
 * A ConvLSTM cell with Glorot-uniform kernels, zero bias except 1 for the forget gate.
 *
 * @example
 * ```ts
 * const cell = createConvLstmCell(8, createRng(1));
 * ```
 */
export function createConvLstmCell(channels: number, rng: Rng): ConvLstmCell {
  const input = convLayer(channels, 4 * channels, rng);
  const recurrent = convLayer(channels, 4 * channels, rng);
  const bias = new Float32Array(4 * channels);
  bias.fill(1, channels, 2 * channels);
  input.bias.assign(tf.tensor1d(bias));
  return { input, recurrent };
}

/**
 * A count head: `layers` x [3x3 conv, LeakyReLU], the mean over cells, then a dense layer to
 * one number. Averaging over cells gives the head the form of a count (a sum of per-cell
 * features) whatever the board size.
 *
 * @example
 * ```ts
 * const head = createCountHead(8, 1, createRng(2));
 * ```
 */
export function createCountHead(channels: number, layers: number, rng: Rng): CountHead {
  const convs = Array.from({ length: layers }, () => convLayer(channels, channels, rng));
  return { convs, dense: denseLayer(channels, 1, rng) };
}

/**
 * A freshly initialised cell-count model.
 *
 * @example
 * ```ts
 * const model = createCountModel(QUICK_LSTM_CONFIG.model, createRng(1));
 * ```
 */
export function createCountModel(config: ConvLstmConfig, rng: Rng): CountModel {
  const channels = config.encodedSize;
  const encoder = Array.from(
    { length: config.encoderLayers },
    (_, i) => convLayer(i === 0 ? 1 : channels, channels, rng),
  );
  const cell = createConvLstmCell(channels, rng);
  const count = createCountHead(channels, config.countLayers, rng);
  const decoder = createDecoder(
    { inChannels: channels, hiddenLayers: config.decoderLayers - 1 },
    rng,
  );
  return { config, encoder, cell, count, decoder };
}

/**
 * Hidden states h(0)..h(n) for boards [batch, rows, cols, 1]: h(0) is the encoder output,
 * h(1)..h(n) the LSTM's. `cell` defaults to the model's own (pass another to run the same
 * encoder with, say, the LSTM's initial weights).
 *
 * @example
 * ```ts
 * const states = lstmStates(model, boards); // n + 1 tensors [batch, rows, cols, channels]
 * ```
 */
export function lstmStates(
  model: CountModel,
  boards: tf.Tensor4D,
  cell: ConvLstmCell = model.cell,
): tf.Tensor4D[] {
  const encoded = convStack(model.encoder, boards);
  const channels = model.config.encodedSize;
  const fromInput = tf.fused.conv2d({
    x: encoded,
    filter: cell.input.kernel,
    bias: cell.input.bias,
    strides: 1,
    pad: "same",
  });
  const states = [encoded];
  let h = encoded;
  let c: tf.Tensor4D | null = null;
  for (let t = 1; t <= model.config.lstmTimesteps; t++) {
    const gates = tf.add(fromInput, tf.conv2d(h, cell.recurrent.kernel, 1, "same"));
    const [i, f, g, o] = tf.split(gates, [channels, channels, channels, channels], 3);
    const write = tf.mul(tf.sigmoid(i), tf.tanh(g));
    c = (c ? tf.add(tf.mul(tf.sigmoid(f), c), write) : write) as tf.Tensor4D;
    h = tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor4D;
    states.push(h);
  }
  return states;
}

/**
 * The count head on hidden states: predicted live fractions [batch].
 *
 * @example
 * ```ts
 * const fractions = countCells(model.count, states[states.length - 1]);
 * ```
 */
export function countCells(head: CountHead, state: tf.Tensor4D): tf.Tensor1D {
  const features = convStack(head.convs, state);
  const pooled = tf.mean(features, [1, 2]) as tf.Tensor2D;
  return tf.reshape(applyDense(head.dense, pooled), [-1]) as tf.Tensor1D;
}

/**
 * Trainable variables of the encoder, the LSTM and the count head (not the decoder).
 *
 * @example
 * ```ts
 * const trunk = countModelTrunk(model);
 * ```
 */
export function countModelTrunk(model: CountModel): tf.Variable[] {
  return [
    ...variablesOf(model.encoder),
    ...cellVariables(model.cell),
    ...variablesOf(model.count.convs),
    model.count.dense.weight,
    model.count.dense.bias,
  ];
}

/**
 * Trainable variables of a ConvLSTM cell (the recurrent bias is left out: it stays zero).
 *
 * @example
 * ```ts
 * const variables = cellVariables(model.cell);
 * ```
 */
export function cellVariables(cell: ConvLstmCell): tf.Variable[] {
  return [cell.input.kernel, cell.input.bias, cell.recurrent.kernel];
}

/**
 * An independent copy of a cell's weights (to keep the untrained LSTM for the chance
 * baseline).
 *
 * @example
 * ```ts
 * const untrained = copyCell(model.cell);
 * ```
 */
export function copyCell(cell: ConvLstmCell): ConvLstmCell {
  const copy = (layer: ConvLayer): ConvLayer => ({
    kernel: tf.variable(layer.kernel.clone(), false),
    bias: tf.variable(layer.bias.clone(), false),
    stride: layer.stride,
  });
  return { input: copy(cell.input), recurrent: copy(cell.recurrent) };
}

/**
 * Frees a model's variables.
 *
 * @example
 * ```ts
 * disposeCountModel(model);
 * ```
 */
export function disposeCountModel(model: CountModel): void {
  tf.dispose([
    ...countModelTrunk(model),
    model.cell.recurrent.bias,
    ...variablesOf(model.decoder),
  ]);
}
