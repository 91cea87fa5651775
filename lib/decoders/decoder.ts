/**
 * The decoder: convolutions from a network's hidden state [batch, rows, cols, channels] to a
 * board, as every experiment here reads its networks (the Game of Life decoders and ceiling
 * readouts, the cell-count model's decoder and readouts, the chess board decoders). It is a
 * list of {@link ConvLayer}s, so it saves and loads with the run store's weight files
 * (`saveLayers`, `loadLayers`) beside the network it reads.
 *
 *   decoder(h) = hiddenLayers x [3x3 conv, LeakyReLU], then a linear conv to outChannels
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import { type ConvLayer, convLayer, convStack } from "../layers/layers.ts";
import type { Rng } from "../stats/rng.ts";

/** A decoder: hidden convolutions with LeakyReLU, then a linear convolution to the board. */
export type Decoder = ConvLayer[];

/** A decoder's shape. */
export interface DecoderShape {
  /** Channels of the hidden state it reads. */
  inChannels: number;
  /** Hidden 3x3 convolutions (LeakyReLU) before the output convolution. */
  hiddenLayers: number;
  /** Channels of the hidden convolutions (default `inChannels`). */
  hiddenChannels?: number;
  /** Channels of the output: one board, or one per class or per target state (default 1). */
  outChannels?: number;
  /** Kernel size of the output convolution (default 3). */
  outKernel?: number;
}

/**
 * A freshly initialised decoder, its layers drawn from `rng` in order.
 *
 * @example
 * ```ts
 * const decoder = createDecoder({ inChannels: 20, hiddenLayers: 1 }, createRng(3));
 * ```
 */
export function createDecoder(shape: DecoderShape, rng: Rng): Decoder {
  const { inChannels, hiddenLayers } = shape;
  if (!Number.isInteger(hiddenLayers) || hiddenLayers < 0) {
    throw new Error(`decoder hiddenLayers ${hiddenLayers}: expected an integer >= 0`);
  }
  const hidden = shape.hiddenChannels ?? inChannels;
  return [
    ...Array.from(
      { length: hiddenLayers },
      (_, i) => convLayer(i === 0 ? inChannels : hidden, hidden, rng),
    ),
    convLayer(hiddenLayers === 0 ? inChannels : hidden, shape.outChannels ?? 1, rng, {
      size: shape.outKernel ?? 3,
    }),
  ];
}

/**
 * Decodes hidden states to boards (the output convolution is linear: logits, or values to
 * compare with 0/1 boards). Several states are decoded in one batch, which is faster than one
 * call each.
 *
 * @example
 * ```ts
 * const [first, last] = decode(decoder, [states[0], states[T]]);
 * ```
 */
export function decode(decoder: readonly ConvLayer[], states: tf.Tensor4D[]): tf.Tensor4D[] {
  if (states.length === 1) return [convStack(decoder, states[0], { linearLast: true })];
  const batch = states[0].shape[0];
  const decoded = convStack(decoder, tf.concat(states, 0), { linearLast: true });
  return tf.split(decoded, states.map(() => batch), 0) as tf.Tensor4D[];
}

/**
 * An independent copy of a decoder's weights: to continue training one while keeping the other
 * (`trainable: false` keeps a frozen snapshot).
 *
 * @example
 * ```ts
 * const snapshot = copyDecoder(decoder, { trainable: false });
 * ```
 */
export function copyDecoder(
  decoder: readonly ConvLayer[],
  options: { trainable?: boolean } = {},
): Decoder {
  const trainable = options.trainable ?? true;
  return decoder.map((layer) => ({
    kernel: tf.tidy(() => tf.variable(layer.kernel.clone(), trainable)),
    bias: tf.tidy(() => tf.variable(layer.bias.clone(), trainable)),
    stride: layer.stride,
  }));
}
