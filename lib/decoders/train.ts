/**
 * Training decoders, with the domain's loss passed in.
 *
 * - {@link trainSupervised}: Adam on one or more decoders (trained together: readouts whose
 *   losses are independent train as each would alone) against a loss of the domain's choosing.
 * - {@link trainAdversarial}: a decoder continued against a {@link Critic}: the supervised loss
 *   plus a fooling loss on the boards the critic judges, weighted up linearly from 0, and the
 *   critic trained in turn to tell those boards from real ones.
 *
 * The domain draws its batches (`draw`, where every random draw of a step happens) and builds
 * its losses from what the trainer hands it; the trainer owns the optimisers, the step order
 * and the critic's dropout seeds.
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import { variablesOf } from "../layers/layers.ts";
import { optimizerStep } from "../layers/optimize.ts";
import { type Critic, criticLogits, criticVariables } from "./critic.ts";
import type { Decoder } from "./decoder.ts";

/** How decoders are trained on a supervised loss. */
export interface SupervisedTraining<Batch> {
  /** Optimiser steps. */
  steps: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Gradients are clipped by value to +- this. */
  clipValue: number;
  /** Draws step `step`'s batch (every random draw of the step happens here). */
  draw(step: number): Batch;
  /** The loss of a batch, built inside the gradient tape. */
  loss(batch: Batch): tf.Scalar;
  /** Frees what `draw` made outside the tape. */
  release?(batch: Batch): void;
  /** Called after every step with its loss (check it, report progress). */
  onStep?(step: number, loss: number): void;
}

/**
 * Trains `decoders` together with one Adam optimiser on the domain's loss.
 *
 * @example
 * ```ts
 * trainSupervised([decoder], {
 *   steps: 100, learningRate: 1e-3, clipValue: 0.1,
 *   draw: () => drawBatch(trainSet, rng, 32, [0, 1]),
 *   loss: ([input, target]) => tf.losses.meanSquaredError(target, decode(decoder, [input])[0]),
 *   release: (batch) => tf.dispose(batch),
 * });
 * ```
 */
export function trainSupervised<Batch>(
  decoders: readonly Decoder[],
  training: SupervisedTraining<Batch>,
): void {
  const optimizer = tf.train.adam(training.learningRate);
  const variables = decoders.flatMap(variablesOf);
  for (let step = 1; step <= training.steps; step++) {
    const batch = training.draw(step);
    const loss = optimizerStep(
      optimizer,
      () => training.loss(batch),
      variables,
      training.clipValue,
    );
    training.release?.(batch);
    training.onStep?.(step, loss);
  }
  optimizer.dispose();
}

/**
 * The critic's binary cross-entropy on `boards` against `label` (1 real, 0 generated), its
 * dropout seeded by `slot`: each of a step's critic calls takes its own slot.
 */
export type CriticLoss = (boards: tf.Tensor4D, label: number, slot: number) => tf.Scalar;

/** How a decoder is continued adversarially. */
export interface AdversarialTraining<Batch> {
  /** Optimiser steps. */
  steps: number;
  /** Final weight of the fooling loss, reached at the last step (ramped from 0). */
  weight: number;
  /** Adam learning rate of the decoder. */
  learningRate: number;
  /** Adam learning rate of the critic. */
  criticLearningRate: number;
  /** The decoder's gradients are clipped by value to +- this. */
  clipValue: number;
  /** The critic's gradients are clipped by value to +- this (Infinity: not clipped). */
  criticClipValue: number;
  /** Base of the critic's dropout seeds: step s, slot k draws with seed + s * slots + k. */
  dropoutSeed: number;
  /** Dropout seed slots a step uses (the seeds of two steps never meet). */
  slots: number;
  /** Draws step `step`'s batch (every random draw of the step happens here). */
  draw(step: number): Batch;
  /**
   * The decoder's loss: its supervised loss plus `fool(boards, slot)` (the weighted loss of the
   * critic calling its boards real) for every batch of boards it generates.
   */
  decoderLoss(batch: Batch, fool: (boards: tf.Tensor4D, slot: number) => tf.Scalar): tf.Scalar;
  /** The critic's loss, from `judge` on real and generated boards; absent: no critic step. */
  criticLoss?(batch: Batch, judge: CriticLoss): tf.Scalar;
  /** Frees what `draw` made outside the tape. */
  release?(batch: Batch): void;
  /** Called after every step with the decoder's loss. */
  onStep?(step: number, loss: number): void;
}

/**
 * Continues `decoder` (in place) against `critic`; each step trains the decoder, then the
 * critic, on the same batch. The critic's variables are left to the caller to free.
 *
 * @example
 * ```ts
 * trainAdversarial(decoder, critic, { steps: 100, weight: 0.1, ...rest });
 * ```
 */
export function trainAdversarial<Batch>(
  decoder: Decoder,
  critic: Critic,
  training: AdversarialTraining<Batch>,
): void {
  const decoderOptimizer = tf.train.adam(training.learningRate);
  const criticOptimizer = tf.train.adam(training.criticLearningRate);
  const decoderVariables = variablesOf(decoder);
  const trainedCritic = criticVariables(critic);
  for (let step = 1; step <= training.steps; step++) {
    const weight = (step / training.steps) * training.weight;
    const judge: CriticLoss = (boards, label, slot) => {
      const logits = criticLogits(critic, boards, {
        training: true,
        seed: training.dropoutSeed + step * training.slots + slot,
      });
      return tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, label), logits) as tf.Scalar;
    };
    const batch = training.draw(step);
    const loss = optimizerStep(
      decoderOptimizer,
      () => training.decoderLoss(batch, (boards, slot) => tf.mul(weight, judge(boards, 1, slot))),
      decoderVariables,
      training.clipValue,
    );
    if (training.criticLoss) {
      const criticLoss = training.criticLoss;
      optimizerStep(
        criticOptimizer,
        () => criticLoss(batch, judge),
        trainedCritic,
        training.criticClipValue,
      );
    }
    training.release?.(batch);
    training.onStep?.(step, loss);
  }
  decoderOptimizer.dispose();
  criticOptimizer.dispose();
}
