/**
 * Plain layers as data: a convolution is a kernel and a bias variable, a dense layer a weight
 * matrix and a bias. Every model here is a list of convolutions, run by {@link convStack}, so a
 * model file reads top to bottom like the paper; its dense heads are {@link denseLayer}s.
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import type { Rng } from "../stats/rng.ts";

/** One 3x3 (or k x k) convolution with bias. */
export interface ConvLayer {
  /** [k, k, inChannels, outChannels] */
  kernel: tf.Variable<tf.Rank.R4>;
  /** [outChannels] */
  bias: tf.Variable<tf.Rank.R1>;
  /** Stride (1 keeps the board size). */
  stride: number;
}

/** The Keras default slope of LeakyReLU, used by the reference implementation. */
export const LEAKY_SLOPE = 0.3;

let variableCounter = 0;

/**
 * A k x k convolution with Glorot-uniform kernel (Keras's default) and zero bias, drawn from
 * `rng` so that initialisation does not depend on the backend.
 *
 * @example
 * ```ts
 * const layer = convLayer(1, 20, createRng(1));
 * ```
 */
export function convLayer(
  inChannels: number,
  outChannels: number,
  rng: Rng,
  options: { size?: number; stride?: number } = {},
): ConvLayer {
  const size = options.size ?? 3;
  const fanIn = size * size * inChannels, fanOut = size * size * outChannels;
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const values = Float32Array.from(
    { length: size * size * inChannels * outChannels },
    () => (rng.next() * 2 - 1) * limit,
  );
  const id = variableCounter++;
  return {
    kernel: tf.variable(tf.tensor4d(values, [size, size, inChannels, outChannels]), true, `k${id}`),
    bias: tf.variable(tf.zeros([outChannels]), true, `b${id}`),
    stride: options.stride ?? 1,
  };
}

/**
 * Runs convolutions in order: each is conv + bias, followed by LeakyReLU except, when
 * `linearLast` is set, the last one.
 *
 * @example
 * ```ts
 * const out = convStack(layers, boards, { linearLast: true });
 * ```
 */
export function convStack(
  layers: readonly ConvLayer[],
  input: tf.Tensor4D,
  options: { linearLast?: boolean } = {},
): tf.Tensor4D {
  let x = input;
  layers.forEach((layer, i) => {
    // One fused kernel for conv + bias + activation: XNNPACK applies the bias for free.
    const linear = options.linearLast && i === layers.length - 1;
    x = tf.fused.conv2d({
      x,
      filter: layer.kernel,
      bias: layer.bias,
      strides: layer.stride,
      pad: "same",
      activation: linear ? "linear" : "leakyrelu",
      leakyreluAlpha: LEAKY_SLOPE,
    });
  });
  return x;
}

/** A dense layer: `x W + b`. */
export interface DenseLayer {
  /** [in, out] */
  weight: tf.Variable<tf.Rank.R2>;
  /** [out] */
  bias: tf.Variable<tf.Rank.R1>;
}

/**
 * A dense layer with Glorot-uniform weights (Keras's default) and zero bias, drawn from `rng`.
 * With one output it is the dense logit of the critics and the cell-count head.
 *
 * @example
 * ```ts
 * const logit = denseLayer(64, 1, createRng(2));
 * ```
 */
export function denseLayer(inputs: number, outputs: number, rng: Rng): DenseLayer {
  const limit = Math.sqrt(6 / (inputs + outputs));
  const values = Float32Array.from(
    { length: inputs * outputs },
    () => (rng.next() * 2 - 1) * limit,
  );
  return {
    weight: tf.variable(tf.tensor2d(values, [inputs, outputs])),
    bias: tf.variable(tf.zeros([outputs])),
  };
}

/**
 * Runs a dense layer on features [batch, in]: [batch, out], no activation.
 *
 * @example
 * ```ts
 * const logits = applyDense(logit, features);
 * ```
 */
export function applyDense(layer: DenseLayer, features: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(features, layer.weight), layer.bias) as tf.Tensor2D;
}

/**
 * All trainable variables of some layers.
 *
 * @example
 * ```ts
 * const variables = variablesOf(layers);
 * ```
 */
export function variablesOf(layers: readonly ConvLayer[]): tf.Variable[] {
  return layers.flatMap((layer) => [layer.kernel, layer.bias]);
}

/**
 * Sets every layer's weights from plain arrays (used by hand-built controls and loading).
 *
 * @example
 * ```ts
 * assignLayer(layer, kernelValues, biasValues);
 * ```
 */
export function assignLayer(layer: ConvLayer, kernel: Float32Array, bias: Float32Array): void {
  layer.kernel.assign(tf.tensor4d(kernel, layer.kernel.shape));
  layer.bias.assign(tf.tensor1d(bias));
}
