/**
 * One optimiser step with gradients clipped by value, and Adam's learning-rate decay: what
 * every trainer here uses (the Game of Life model and its decoders, the cell-count model, the
 * chess network).
 *
 * @module
 */
import { tf } from "../backend/tf.ts";

function clipped(grads: tf.NamedTensorMap, clipValue: number): tf.NamedTensorMap {
  const out: tf.NamedTensorMap = {};
  for (const name in grads) out[name] = tf.clipByValue(grads[name], -clipValue, clipValue);
  return out;
}

/**
 * Takes the gradient of `lossFunction` with respect to `variables`, clips each gradient to
 * +- `clipValue` (Infinity: no clipping), applies it, and returns the loss.
 *
 * @example
 * ```ts
 * const loss = optimizerStep(optimizer, () => tf.losses.meanSquaredError(target, output()), variables, 0.1);
 * ```
 */
export function optimizerStep(
  optimizer: tf.Optimizer,
  lossFunction: () => tf.Scalar,
  variables: tf.Variable[],
  clipValue: number,
): number {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(lossFunction, variables);
    optimizer.applyGradients(clipped(grads, clipValue));
    return value.dataSync()[0];
  });
}

/** Adam's exponential learning-rate decay: `learningRate * decayRate^(step / decaySteps)`. */
export interface LearningRateDecay {
  /** Rate at step 0. */
  learningRate: number;
  /** Factor per `decaySteps` steps. */
  decayRate: number;
  /** See `decayRate`. */
  decaySteps: number;
}

/**
 * Sets an Adam optimiser's learning rate for `step` (0-based) of the decay in `config.train`.
 *
 * @example
 * ```ts
 * setLearningRate(optimizer, config, step);
 * ```
 */
export function setLearningRate(
  optimizer: tf.AdamOptimizer,
  config: { train: LearningRateDecay },
  step: number,
): void {
  const { learningRate, decayRate, decaySteps } = config.train;
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate *
    Math.pow(decayRate, step / decaySteps);
}
