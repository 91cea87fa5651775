/**
 * One training step, shared by the trainer and the benchmark: batches drawn from a packed
 * sequence set, MSE at the trained indices, gradients clipped by value, Adam with exponential
 * learning-rate decay.
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import { type GolSequences, runSequences, unpackStates } from "../gol/life.ts";
import { trainedIndicesFor } from "../metric/imagination.ts";
import { decode } from "../decoders/decoder.ts";
import type { RunConfig } from "../models/config.ts";
import {
  createGolModel,
  disposeModel,
  type GolModel,
  hiddenStates,
  trunkVariables,
} from "../models/gol_model.ts";
import { variablesOf } from "../layers/layers.ts";
import { createRng, deriveSeed, restoreRng, type Rng } from "../stats/rng.ts";
import { optimizerStep, setLearningRate } from "../layers/optimize.ts";
import { adamState, restoreAdam, type StepState } from "./checkpoint.ts";

/** Draws a batch: sequences, inputs s_1 and the boards of the requested states. */
export function drawBatch(
  set: GolSequences,
  rng: Rng,
  batchSize: number,
  states: number[],
): tf.Tensor4D[] {
  return boardsOf(set, drawPicks(set, rng, batchSize), states);
}

/**
 * The sequences of a batch, drawn as {@link drawBatch} draws them (one `rng.int` per row).
 *
 * @example
 * ```ts
 * const picks = drawPicks(trainSet, rng, 32);
 * ```
 */
export function drawPicks(set: GolSequences, rng: Rng, batchSize: number): number[] {
  return Array.from({ length: batchSize }, () => rng.int(set.count));
}

/**
 * The boards of `states` of the sequences `picks`, one tensor per state.
 *
 * @example
 * ```ts
 * const [inputs, finals] = boardsOf(trainSet, [4, 9], [0, 3]);
 * ```
 */
export function boardsOf(set: GolSequences, picks: number[], states: number[]): tf.Tensor4D[] {
  return states.map((state) =>
    tf.tensor4d(unpackStates(set, picks, [state]), [picks.length, set.rows, set.cols, 1])
  );
}

/** Phase 1's step loop: model and decoder trained together. */
export interface StepRunner {
  /** The model being trained. */
  model: GolModel;
  /** The variables it trains (trunk, then decoder), in the order checkpoints store them. */
  variables: tf.Variable[];
  /** Runs one step and returns its loss. */
  step(): number;
  /** Steps taken, the batch generator and the optimizer, for a checkpoint. */
  state(): StepState;
  /** Continues from a state taken by `state()` (the model's weights are restored apart). */
  restore(state: StepState): void;
  /** Frees the optimizer (and the model, when the runner created it). */
  dispose(): void;
}

/**
 * A phase-1 step runner. Without `trainSet` and `model` it makes its own (a small set is
 * enough for benchmarking).
 *
 * @example
 * ```ts
 * const runner = createStepRunner(QUICK_CONFIG, 1);
 * const loss = runner.step();
 * runner.dispose();
 * ```
 */
export function createStepRunner(
  config: RunConfig,
  seed: number,
  given: { trainSet?: GolSequences; model?: GolModel } = {},
): StepRunner {
  const { model: modelConfig, train } = config;
  const trainSet = given.trainSet ??
    runSequences(modelConfig, "train", Math.min(train.trainSequences, 4096), seed);
  const model = given.model ??
    createGolModel(modelConfig, createRng(deriveSeed(seed, "model-init")));
  const trainedIndices = trainedIndicesFor(modelConfig.modelTimesteps, modelConfig.useAutoencoder);
  const optimizer = tf.train.adam(train.learningRate);
  const variables = [...trunkVariables(model), ...variablesOf(model.decoder)];
  let batchRng = createRng(deriveSeed(seed, "batches"));
  let steps = 0;
  return {
    model,
    variables,
    step() {
      setLearningRate(optimizer, config, steps++);
      const batch = drawBatch(trainSet, batchRng, train.batchSize, [0, modelConfig.golTimesteps]);
      const loss = optimizerStep(
        optimizer,
        () => {
          const states = hiddenStates(model, batch[0]);
          const decoded = decode(model.decoder, trainedIndices.map((t) => states[t]));
          return tf.addN(
            decoded.map((output, i) =>
              tf.losses.meanSquaredError(trainedIndices[i] === 0 ? batch[0] : batch[1], output)
            ),
          ) as tf.Scalar;
        },
        variables,
        train.clipValue,
      );
      tf.dispose(batch);
      return loss;
    },
    state: () => ({ steps, batches: batchRng.state(), optimizer: adamState(optimizer) }),
    restore(state) {
      steps = state.steps;
      batchRng = restoreRng(state.batches);
      restoreAdam(optimizer, state.optimizer, variables);
    },
    dispose() {
      optimizer.dispose();
      if (!given.model) disposeModel(model);
    },
  };
}
