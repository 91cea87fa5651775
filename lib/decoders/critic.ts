/**
 * The critic of adversarial decoder training: a discriminator that tells decoded boards from
 * real ones. Stride-2 3x3 convolutions with LeakyReLU and dropout 0.3 while training, then a
 * dense logit (the reference's Game of Life discriminator; the chess critic has the same form
 * on 13-class boards).
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import {
  applyDense,
  type ConvLayer,
  convLayer,
  type DenseLayer,
  denseLayer,
  LEAKY_SLOPE,
  variablesOf,
} from "../layers/layers.ts";
import type { Rng } from "../stats/rng.ts";

/** A critic: stride-2 convolutions, then a dense logit. */
export interface Critic {
  /** Conv layers (stride 2, LeakyReLU). */
  convs: ConvLayer[];
  /** Dense logit [features, 1]. */
  logit: DenseLayer;
}

/** A critic's shape. */
export interface CriticShape {
  /** Rows = columns of the boards it judges. */
  boardSize: number;
  /** Channels of the boards, then of each stride-2 convolution: [1, 4, 8, 16] in the GoL. */
  channels: number[];
}

/**
 * A freshly initialised critic, convolutions first, then the dense logit, drawn from `rng`.
 *
 * @example
 * ```ts
 * const critic = createCritic({ boardSize: 20, channels: [1, 4, 8, 16] }, createRng(4));
 * ```
 */
export function createCritic(shape: CriticShape, rng: Rng): Critic {
  const { channels } = shape;
  const convs = channels.slice(1).map((out, i) => convLayer(channels[i], out, rng, { stride: 2 }));
  let size = shape.boardSize;
  for (let i = 0; i < convs.length; i++) size = Math.ceil(size / 2);
  return { convs, logit: denseLayer(size * size * channels[channels.length - 1], 1, rng) };
}

/**
 * Real-vs-generated logits [batch, 1] of boards [batch, rows, cols, channels]; dropout 0.3
 * when training, with a seed so that the run stays deterministic.
 *
 * @example
 * ```ts
 * const logits = criticLogits(critic, boards, { training: true, seed: 5 });
 * ```
 */
export function criticLogits(
  critic: Critic,
  boards: tf.Tensor4D,
  options: { training: boolean; seed?: number },
): tf.Tensor2D {
  let x = boards;
  for (const layer of critic.convs) {
    x = tf.leakyRelu(tf.add(tf.conv2d(x, layer.kernel, 2, "same"), layer.bias), LEAKY_SLOPE);
    if (options.training) x = tf.dropout(x, 0.3, undefined, options.seed) as tf.Tensor4D;
  }
  return applyDense(critic.logit, tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D);
}

/**
 * Trainable variables of a critic.
 *
 * @example
 * ```ts
 * tf.dispose(criticVariables(critic));
 * ```
 */
export function criticVariables(critic: Critic): tf.Variable[] {
  return [...variablesOf(critic.convs), critic.logit.weight, critic.logit.bias];
}
