/**
 * The board decoder of Section 3.3, a first-class object separate from the network it reads:
 * three convolutions from a layer's activations [N, 8, 8, channels] to 13 class logits per
 * square (empty or one of the 12 pieces, {@link PIECE_CLASSES}).
 *
 * As in the paper, one decoder is trained on two targets at once: the input board from the
 * input block's activations, and the board after the network's chosen move from the final
 * trunk's. It is then applied to every layer. The adversarial variant continues that decoder
 * with a discriminator that tells its decodings of the intermediate blocks from real boards,
 * as phase 3 of the Game of Life trainer does.
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import { createRng, deriveSeed } from "../stats/rng.ts";
import type { Rng } from "../stats/rng.ts";
import { createCritic, type Critic, criticVariables } from "../decoders/critic.ts";
import { copyDecoder, createDecoder, decode } from "../decoders/decoder.ts";
import { trainAdversarial, trainSupervised } from "../decoders/train.ts";
import type { ConvLayer } from "../layers/layers.ts";
import { type Board, PIECE_CLASSES, SQUARES } from "./board.ts";

/** Decoder and training sizes. */
export interface DecoderConfig {
  /** Channels of the hidden 3x3 convolutions. */
  hidden: number;
  /** Hidden 3x3 convolutions (default 2); each widens the view by one square each way. */
  depth?: number;
  /**
   * Standardise each layer's channels (mean 0, standard deviation 1 over the training
   * positions) before decoding, so one decoder sees the input block, the intermediate blocks
   * and the final trunk on the same scale (default false: raw activations, as the paper).
   */
  standardize?: boolean;
  /** Training steps of the regular decoder. */
  steps: number;
  /** Steps of the adversarial continuation (0: none). */
  adversarialSteps: number;
  /** Final weight of the generator's fooling loss (ramped up linearly from 0). */
  adversarialWeight: number;
  /** Batch size (per target). */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
}

/** Activations of one layer for a set of positions, NHWC. */
export interface LayerActivations {
  /** [count * 64 * channels] floats, position-major, then square, then channel. */
  values: Float32Array;
  /** Channels. */
  channels: number;
}

/**
 * Converts ONNX activations [count, channels, 8, 8] to NHWC.
 *
 * @example
 * ```ts
 * const layer = toNhwc(outputs.activations[0], outputs.channels[0], count);
 * ```
 */
export function toNhwc(values: Float32Array, channels: number, count: number): LayerActivations {
  const out = new Float32Array(values.length);
  for (let n = 0; n < count; n++) {
    for (let c = 0; c < channels; c++) {
      const from = (n * channels + c) * SQUARES;
      for (let square = 0; square < SQUARES; square++) {
        out[(n * SQUARES + square) * channels + c] = values[from + square];
      }
    }
  }
  return { values: out, channels };
}

/** Per-channel mean and standard deviation of one layer's activations. */
export interface LayerNorm {
  /** Mean per channel. */
  mean: number[];
  /** Standard deviation per channel (never below 1e-3). */
  std: number[];
}

/**
 * Per-channel statistics of a layer's activations (over positions and squares).
 *
 * @example
 * ```ts
 * const norm = layerNorm(layer);
 * ```
 */
export function layerNorm(layer: LayerActivations): LayerNorm {
  const c = layer.channels, rows = layer.values.length / c;
  const sum = new Float64Array(c), squares = new Float64Array(c);
  for (let row = 0; row < rows; row++) {
    for (let k = 0; k < c; k++) {
      const value = layer.values[row * c + k];
      sum[k] += value;
      squares[k] += value * value;
    }
  }
  const mean = Array.from(sum, (value) => value / rows);
  const std = Array.from(
    squares,
    (value, k) => Math.max(1e-3, Math.sqrt(Math.max(0, value / rows - mean[k] * mean[k]))),
  );
  return { mean, std };
}

/**
 * A layer's activations standardised with (training-set) statistics.
 *
 * @example
 * ```ts
 * const ready = standardized(evalLayer, layerNorm(trainLayer));
 * ```
 */
export function standardized(layer: LayerActivations, norm: LayerNorm): LayerActivations {
  const c = layer.channels;
  if (norm.mean.length !== c) {
    throw new Error(`layer has ${c} channels, its statistics ${norm.mean.length}`);
  }
  const values = new Float32Array(layer.values.length);
  for (let i = 0; i < values.length; i++) {
    const k = i % c;
    values[i] = (layer.values[i] - norm.mean[k]) / norm.std[k];
  }
  return { values, channels: c };
}

/**
 * A decoder for activations with `channels` channels: `depth` hidden 3x3 convolutions
 * (LeakyReLU) and a 1x1 convolution to the 13 class logits.
 *
 * @example
 * ```ts
 * const decoder = createBoardDecoder(32, 64, createRng(1));
 * ```
 */
export function createBoardDecoder(
  channels: number,
  hidden: number,
  rng: Rng,
  depth = 2,
): ConvLayer[] {
  if (!Number.isInteger(depth) || depth < 1) {
    throw new Error(`decoder depth must be a positive integer, got ${depth}`);
  }
  return createDecoder({
    inChannels: channels,
    hiddenLayers: depth,
    hiddenChannels: hidden,
    outChannels: PIECE_CLASSES,
    outKernel: 1,
  }, rng);
}

function gatherRows(layer: LayerActivations, picks: readonly number[]): tf.Tensor4D {
  const stride = SQUARES * layer.channels;
  const out = new Float32Array(picks.length * stride);
  picks.forEach((pick, i) =>
    out.set(layer.values.subarray(pick * stride, (pick + 1) * stride), i * stride)
  );
  return tf.tensor4d(out, [picks.length, 8, 8, layer.channels]);
}

function oneHotBoards(boards: readonly Board[], picks: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const classes = new Int32Array(picks.length * SQUARES);
    picks.forEach((pick, i) => classes.set(boards[pick], i * SQUARES));
    const oneHot = tf.cast(tf.oneHot(tf.tensor1d(classes, "int32"), PIECE_CLASSES), "float32");
    return tf.reshape(oneHot, [
      picks.length,
      8,
      8,
      PIECE_CLASSES,
    ]);
  });
}

function crossEntropy(
  decoder: readonly ConvLayer[],
  inputs: tf.Tensor4D,
  targets: tf.Tensor4D,
): tf.Scalar {
  const [logits] = decode(decoder, [inputs]);
  return tf.losses.softmaxCrossEntropy(
    tf.reshape(targets, [-1, PIECE_CLASSES]),
    tf.reshape(logits, [-1, PIECE_CLASSES]),
  ) as tf.Scalar;
}

/** What the decoder trains on. */
export interface DecoderTrainingSet {
  /** Activations of every layer (input block first, final trunk last). */
  layers: LayerActivations[];
  /** Input boards. */
  inputBoards: Board[];
  /** Boards after the network's chosen move. */
  postMoveBoards: Board[];
}

function picksOf(rng: Rng, count: number, batch: number): number[] {
  return Array.from({ length: batch }, () => rng.int(count));
}

/**
 * Trains a decoder: input board from the first layer, post-move board from the last.
 *
 * @example
 * ```ts
 * const decoder = trainDecoder(set, config, seed);
 * ```
 */
export function trainDecoder(
  set: DecoderTrainingSet,
  config: DecoderConfig,
  seed: number,
  onProgress: (step: number, loss: number) => void = () => {},
): ConvLayer[] {
  const decoder = createBoardDecoder(
    set.layers[0].channels,
    config.hidden,
    createRng(deriveSeed(seed, "decoder-init")),
    config.depth,
  );
  const rng = createRng(deriveSeed(seed, "decoder-batches"));
  const count = set.inputBoards.length;
  trainSupervised([decoder], {
    steps: config.steps,
    learningRate: config.learningRate,
    clipValue: 5,
    draw: () => ({
      inputPicks: picksOf(rng, count, config.batchSize),
      trunkPicks: picksOf(rng, count, config.batchSize),
    }),
    loss: (picks) => supervisedLoss(decoder, set, picks),
    onStep: (step, loss) => {
      if (!Number.isFinite(loss)) {
        throw new Error(`decoder training: loss is ${loss} at step ${step}`);
      }
      if (step % 50 === 0) onProgress(step, loss);
    },
  });
  return decoder;
}

/** The two targets' cross-entropy: input board from the first layer, post-move from the last. */
function supervisedLoss(
  decoder: readonly ConvLayer[],
  set: DecoderTrainingSet,
  picks: { inputPicks: number[]; trunkPicks: number[] },
): tf.Scalar {
  const first = set.layers[0], last = set.layers[set.layers.length - 1];
  return tf.add(
    crossEntropy(
      decoder,
      gatherRows(first, picks.inputPicks),
      oneHotBoards(set.inputBoards, picks.inputPicks),
    ),
    crossEntropy(
      decoder,
      gatherRows(last, picks.trunkPicks),
      oneHotBoards(set.postMoveBoards, picks.trunkPicks),
    ),
  ) as tf.Scalar;
}

/**
 * A discriminator of 8x8 boards of class probabilities (stride-2 convolutions 13 -> 16 -> 32,
 * dense logit), of lib/decoders' critic form.
 *
 * @example
 * ```ts
 * const critic = createBoardCritic(createRng(3));
 * ```
 */
export function createBoardCritic(rng: Rng): Critic {
  return createCritic({ boardSize: 8, channels: [PIECE_CLASSES, 16, 32] }, rng);
}

/**
 * Continues a copy of `decoder` adversarially: the supervised loss of {@link trainDecoder}
 * plus a fooling loss on its decodings of the intermediate layers, weighted from 0 up to
 * `config.adversarialWeight`, against a critic trained to tell them from real boards.
 *
 * @example
 * ```ts
 * const adversarial = trainAdversarialDecoder(set, decoder, config, seed);
 * ```
 */
export function trainAdversarialDecoder(
  set: DecoderTrainingSet,
  decoder: readonly ConvLayer[],
  config: DecoderConfig,
  seed: number,
  onProgress: (step: number, loss: number) => void = () => {},
): ConvLayer[] {
  const copy = copyDecoder(decoder);
  const intermediate = set.layers.slice(1, -1);
  const critic = createBoardCritic(createRng(deriveSeed(seed, "critic-init")));
  const rng = createRng(deriveSeed(seed, "adversarial-batches"));
  const count = set.inputBoards.length;
  const decodedProbabilities = (layer: LayerActivations, picks: number[]) =>
    tf.softmax(decode(copy, [gatherRows(layer, picks)])[0]) as tf.Tensor4D;
  trainAdversarial(copy, critic, {
    steps: config.adversarialSteps,
    weight: config.adversarialWeight,
    learningRate: config.learningRate,
    criticLearningRate: config.learningRate,
    clipValue: 5,
    criticClipValue: 5,
    dropoutSeed: deriveSeed(seed, "critic-dropout"),
    slots: 4,
    draw: () => ({
      inputPicks: picksOf(rng, count, config.batchSize),
      trunkPicks: picksOf(rng, count, config.batchSize),
      fakePicks: picksOf(rng, count, config.batchSize),
      fakeLayer: intermediate[rng.int(intermediate.length)],
      realBoards: rng.next() < 0.5 ? set.inputBoards : set.postMoveBoards,
      realPicks: picksOf(rng, count, config.batchSize),
    }),
    decoderLoss: (batch, fool) => {
      const supervised = supervisedLoss(copy, set, batch);
      return tf.add(
        supervised,
        fool(decodedProbabilities(batch.fakeLayer, batch.fakePicks), 0),
      ) as tf.Scalar;
    },
    criticLoss: (batch, judge) => {
      const fakes = decodedProbabilities(batch.fakeLayer, batch.fakePicks);
      const real = oneHotBoards(batch.realBoards, batch.realPicks);
      return tf.add(judge(real, 1, 1), judge(fakes, 0, 2)) as tf.Scalar;
    },
    onStep: (step, loss) => {
      if (!Number.isFinite(loss)) {
        throw new Error(`adversarial decoder training: loss is ${loss} at step ${step}`);
      }
      if (step % 50 === 0) onProgress(step, loss);
    },
  });
  tf.dispose(criticVariables(critic));
  return copy;
}

/**
 * Decodes a layer's activations to boards (the most likely class per square).
 *
 * @example
 * ```ts
 * const boards = decodeBoards(decoder, layer, count);
 * ```
 */
export function decodeBoards(
  decoder: readonly ConvLayer[],
  layer: LayerActivations,
  count: number,
): Board[] {
  const boards: Board[] = [];
  const batch = 256;
  for (let start = 0; start < count; start += batch) {
    const picks = Array.from({ length: Math.min(batch, count - start) }, (_, i) => start + i);
    const classes = tf.tidy(() =>
      tf.argMax(decode(decoder, [gatherRows(layer, picks)])[0], 3)
        .dataSync() as Int32Array
    );
    picks.forEach((_, i) =>
      boards.push(Uint8Array.from(classes.subarray(i * SQUARES, (i + 1) * SQUARES)))
    );
  }
  return boards;
}
