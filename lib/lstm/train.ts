/**
 * Section 3.2 of the paper: a convolutional LSTM trained to predict the fraction of living
 * cells after k Game of Life steps, and what its hidden states show through a decoder trained
 * on the initial state only (Table 4).
 *
 * One run:
 * 1. trains the encoder, LSTM and count head with MSE of the count at h(n) (and at h(0) with
 *    the reference's task autoencoder), and the board decoder with MSE of decoder(h(0)) against
 *    s_1, together; every `evalInterval` steps the held-out count R^2 decides whether to stop;
 * 2. freezes the model and trains the ceiling readouts: per LSTM state h(t), a decoder of the
 *    same form whose last layer has k channels, one per true state s_2..s_m;
 * 3. scores on held-out sequences (see lib/metric/correlation.ts), with Pearson and MCC, best
 *    and aligned pairing:
 *    - trained: the run's decoder on the trained LSTM's states;
 *    - chance: the same encoder and decoder on the states of the LSTM as initialised, before
 *      any training (what the decoder shows when the LSTM has learned nothing);
 *    - ceiling: the readouts of step 2 (the best a decoder of this form can do from those
 *      activations when it is shown the intermediate states);
 *    - copy input: s_1 itself as every decoded state (what carrying the input along scores).
 *
 * Every random choice comes from the run's seed: same seed and backend, same numbers.
 *
 * @module
 */
import process from "node:process";
import { activeBackend, type BackendInfo, initBackend } from "../backend/backend.ts";
import { tf } from "../backend/tf.ts";
import { createDecoder, decode, type Decoder } from "../decoders/decoder.ts";
import { trainSupervised } from "../decoders/train.ts";
import { type GolSequences, runSequences, unpackStates } from "../gol/life.ts";
import { variablesOf } from "../layers/layers.ts";
import { optimizerStep, setLearningRate } from "../layers/optimize.ts";
import { alignedGameIndex, sequenceCorrelation } from "../metric/correlation.ts";
import type { RunOutput, RunProgress } from "../runs/kinds.ts";
import type { RunSpec } from "../runs/store.ts";
import { createRng, deriveSeed, type Rng } from "../stats/rng.ts";
import { type LstmRunConfig, validateLstmConfig } from "./config.ts";
import {
  copyCell,
  countCells,
  type CountModel,
  countModelTrunk,
  createCountModel,
  disposeCountModel,
  lstmStates,
} from "./conv_lstm.ts";
import {
  type CorrelationScores,
  countScores,
  decodeLstmStates,
  liveFractions,
  readCeiling,
  scoreSequences,
} from "./score.ts";

/** A held-out sequence with its decoded states, for figures. */
export interface LstmExample {
  /** True states s_1..s_m, 0/1. */
  truth: number[][];
  /** Decoded h(0)..h(n) (the decoder's raw output, rounded to 0.01). */
  decoded: number[][];
  /** The sequence's Pearson correlation (best pairing). */
  pearson: number;
}

/** Everything a Table 4 verdict needs from one run. */
export interface LstmResult {
  /** "ok", or "failed" with `failure`. */
  status: "ok" | "failed";
  /** Why the run failed (NaN, divergence). */
  failure?: string;
  /** Backend that ran it. */
  backend: BackendInfo;
  /** Training steps taken. */
  steps: number;
  /** Held-out MSE of the predicted live fraction after k steps. */
  countMse: number;
  /** Held-out R^2 of that prediction (1 - MSE / variance of the target). */
  countR2: number;
  /**
   * Held-out MSE of the density shortcut: the least-squares line from the live fraction of s_1
   * to that of s_m, fitted on the held-out set itself (a model that beats it has learned
   * something of the dynamics).
   */
  shortcutMse: number;
  /** Held-out R^2 of the shortcut. */
  shortcutR2: number;
  /** Whether the count R^2 reached `targetCountR2` (training stopped there). */
  reachedTarget: boolean;
  /** Training loss and held-out count at every eval interval. */
  history: { step: number; loss: number; countMse: number; countR2: number }[];
  /** Held-out sequences scored. */
  evalSequences: number;
  /** The run's decoder on the trained LSTM. */
  trained: CorrelationScores | null;
  /** The same decoder on the untrained LSTM (chance level). */
  chance: CorrelationScores | null;
  /** Per-timestep readouts trained on the true intermediate states (ceiling). */
  ceiling: CorrelationScores | null;
  /** s_1 as every decoded state. */
  copyInput: CorrelationScores;
  /** Decoded examples (trained decoder). */
  examples: LstmExample[];
  /** Wall seconds per part, and the process's CPU seconds in all (for sizing on busy machines). */
  seconds: { train: number; ceiling: number; evaluate: number; total: number; cpu: number };
}

class RunFailure extends Error {}

function checkLoss(loss: number, step: number, phase: string): void {
  if (!Number.isFinite(loss)) throw new RunFailure(`${phase}: loss is ${loss} at step ${step}`);
  if (loss > 1e4) throw new RunFailure(`${phase}: loss diverged to ${loss} at step ${step}`);
}

/** Boards of chosen states, one tensor [batch, rows, cols, states] (states as channels). */
function statesTensor(
  set: GolSequences,
  sequences: number[],
  states: number[],
): tf.Tensor4D {
  return tf.tidy(() => {
    const data = unpackStates(set, sequences, states);
    const stacked = tf.tensor4d(data, [sequences.length, states.length, set.rows, set.cols]);
    return tf.transpose(stacked, [0, 2, 3, 1]) as tf.Tensor4D;
  });
}

/** A training batch: input boards, live fraction of s_1 and of s_m. */
function countBatch(
  set: GolSequences,
  rng: Rng,
  batchSize: number,
): { boards: tf.Tensor4D; first: tf.Tensor1D; last: tf.Tensor1D } {
  const picks = Array.from({ length: batchSize }, () => rng.int(set.count));
  const cells = set.rows * set.cols;
  const data = unpackStates(set, picks, [0, set.states - 1]);
  const fractions = liveFractions(data, cells);
  return {
    boards: tf.tensor4d(unpackStates(set, picks, [0]), [batchSize, set.rows, set.cols, 1]),
    first: tf.tensor1d(picks.map((_, i) => fractions[2 * i])),
    last: tf.tensor1d(picks.map((_, i) => fractions[2 * i + 1])),
  };
}

/**
 * Trains one cell-count run and scores its imagination. Throws only on programming or
 * configuration errors; a numerically failed run returns `status: "failed"`.
 *
 * @example
 * ```ts
 * const result = await trainLstmRun(QUICK_LSTM_CONFIG, 1);
 * console.log(result.trained?.pearson, result.countR2);
 * ```
 */
export async function trainLstmRun(
  config: LstmRunConfig,
  seed: number,
  options: { onProgress?: (progress: RunProgress) => void } = {},
): Promise<LstmResult> {
  const backend = activeBackend() ?? await initBackend();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const { model: modelConfig, train } = config;
  const size = modelConfig.boardSize, cells = size * size;
  const trainSet = runSequences(modelConfig, "train", train.trainSequences, seed);
  const heldOut = runSequences(modelConfig, "eval", train.evalSequences, seed);
  const model = createCountModel(modelConfig, createRng(deriveSeed(seed, "model-init")));
  const untrainedCell = copyCell(model.cell);
  const heldOutIndices = Array.from({ length: heldOut.count }, (_, i) => i);
  const heldOutBoards = tf.tensor4d(
    unpackStates(heldOut, heldOutIndices, [0]),
    [heldOut.count, size, size, 1],
  );
  const heldOutFractions = liveFractions(
    unpackStates(heldOut, heldOutIndices, [0, heldOut.states - 1]),
    cells,
  );
  const firstFractions = heldOutFractions.filter((_, i) => i % 2 === 0);
  const lastFractions = heldOutFractions.filter((_, i) => i % 2 === 1);
  const copyInput = scoreSequences(heldOut, {
    sequences: heldOutIndices,
    candidates: (s) => {
      const first = Array.from(unpackStates(heldOut, [s], [0]));
      return Array.from({ length: modelConfig.lstmTimesteps }, () => first);
    },
  });
  const result: LstmResult = {
    status: "ok",
    backend,
    steps: 0,
    countMse: NaN,
    countR2: NaN,
    shortcutMse: NaN,
    shortcutR2: NaN,
    reachedTarget: false,
    history: [],
    evalSequences: heldOut.count,
    trained: null,
    chance: null,
    ceiling: null,
    copyInput,
    examples: [],
    seconds: { train: 0, ceiling: 0, evaluate: 0, total: 0, cpu: 0 },
  };
  const readouts: Decoder[] = [];
  try {
    let phaseStart = performance.now();
    const optimizer = tf.train.adam(train.learningRate);
    const variables = [...countModelTrunk(model), ...variablesOf(model.decoder)];
    const batchRng = createRng(deriveSeed(seed, "batches"));
    for (let step = 1; step <= train.maxSteps; step++) {
      setLearningRate(optimizer, config, step - 1);
      const batch = countBatch(trainSet, batchRng, train.batchSize);
      const loss = optimizerStep(
        optimizer,
        () => {
          const states = lstmStates(model, batch.boards);
          const reconstruction = decode(model.decoder, [states[0]])[0];
          const losses = [
            tf.losses.meanSquaredError(batch.boards, reconstruction),
            tf.losses.meanSquaredError(batch.last, countCells(model.count, states.at(-1)!)),
          ];
          if (modelConfig.countAutoencoder) {
            losses.push(
              tf.losses.meanSquaredError(batch.first, countCells(model.count, states[0])),
            );
          }
          return tf.addN(losses) as tf.Scalar;
        },
        variables,
        train.clipValue,
      );
      tf.dispose([batch.boards, batch.first, batch.last]);
      checkLoss(loss, step, "model");
      result.steps = step;
      if (step % train.evalInterval === 0 || step === train.maxSteps) {
        const scores = countScores(model, {
          boards: heldOutBoards,
          first: firstFractions,
          last: lastFractions,
        });
        Object.assign(result, {
          countMse: scores.mse,
          countR2: scores.r2,
          shortcutMse: scores.shortcutMse,
          shortcutR2: scores.shortcutR2,
        });
        result.history.push({ step, loss, countMse: scores.mse, countR2: scores.r2 });
        options.onProgress?.({ phase: "model", step, steps: train.maxSteps, loss });
        if (scores.r2 >= train.targetCountR2) {
          result.reachedTarget = true;
          break;
        }
      }
    }
    optimizer.dispose();
    result.seconds.train = (performance.now() - phaseStart) / 1000;

    phaseStart = performance.now();
    if (train.ceilingSteps > 0) {
      readouts.push(...trainCeilingReadouts(model, trainSet, config, seed, options));
    }
    result.seconds.ceiling = (performance.now() - phaseStart) / 1000;

    phaseStart = performance.now();
    options.onProgress?.({ phase: "evaluate", step: 0, steps: 1 });
    const trainedDecoded = decodeLstmStates(model, heldOutBoards);
    const chanceDecoded = decodeLstmStates(model, heldOutBoards, { cell: untrainedCell });
    const n = modelConfig.lstmTimesteps;
    const sequences = heldOutIndices;
    result.trained = scoreSequences(heldOut, {
      sequences,
      candidates: (s) => trainedDecoded[s].slice(1),
    });
    result.chance = scoreSequences(heldOut, {
      sequences,
      candidates: (s) => chanceDecoded[s].slice(1),
    });
    if (readouts.length > 0) {
      const ceilingDecoded = readCeiling(model, { readouts, boards: heldOutBoards });
      result.ceiling = scoreSequences(heldOut, {
        sequences,
        candidates: (s, j) => ceilingDecoded[s].map((perTarget) => perTarget[j - 1]),
        aligned: (s, t) =>
          ceilingDecoded[s][t - 1][alignedGameIndex(t, n, modelConfig.golTimesteps) - 1],
      });
    }
    result.examples = heldOutIndices.slice(0, train.exampleSequences).map((s) => ({
      truth: Array.from(
        { length: heldOut.states },
        (_, t) => Array.from(unpackStates(heldOut, [s], [t])),
      ),
      decoded: trainedDecoded[s].map((board) => board.map((v) => Math.round(v * 100) / 100)),
      pearson: sequenceCorrelation(
        Array.from({ length: heldOut.states }, (_, t) => unpackStates(heldOut, [s], [t])),
        trainedDecoded[s].slice(1),
      ),
    }));
    result.seconds.evaluate = (performance.now() - phaseStart) / 1000;
  } catch (error) {
    if (!(error instanceof RunFailure)) throw error;
    result.status = "failed";
    result.failure = error.message;
  } finally {
    tf.dispose([heldOutBoards, ...variablesOf([untrainedCell.input, untrainedCell.recurrent])]);
    tf.dispose(readouts.flatMap(variablesOf));
    disposeCountModel(model);
  }
  result.seconds.total = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  result.seconds.cpu = (cpu.user + cpu.system) / 1e6;
  return result;
}

/** Phase 2: per LSTM state, a readout to every true state s_2..s_m, on the frozen model. */
function trainCeilingReadouts(
  model: CountModel,
  trainSet: GolSequences,
  config: LstmRunConfig,
  seed: number,
  options: { onProgress?: (progress: RunProgress) => void },
): Decoder[] {
  const { model: modelConfig, train } = config;
  const rng = createRng(deriveSeed(seed, "ceiling-init"));
  const readouts = Array.from(
    { length: modelConfig.lstmTimesteps },
    () =>
      createDecoder({
        inChannels: modelConfig.encodedSize,
        hiddenLayers: modelConfig.decoderLayers - 1,
        outChannels: modelConfig.golTimesteps,
      }, rng),
  );
  const batchRng = createRng(deriveSeed(seed, "ceiling-batches"));
  const targets = Array.from({ length: modelConfig.golTimesteps }, (_, j) => j + 1);
  trainSupervised(readouts, {
    steps: train.ceilingSteps,
    learningRate: train.learningRate,
    clipValue: train.clipValue,
    draw: () => {
      const picks = Array.from({ length: train.batchSize }, () => batchRng.int(trainSet.count));
      const boards = tf.tensor4d(
        unpackStates(trainSet, picks, [0]),
        [picks.length, trainSet.rows, trainSet.cols, 1],
      );
      const truth = statesTensor(trainSet, picks, targets);
      // The frozen model runs outside the gradient: only the readouts are trained.
      const states = tf.tidy(() => lstmStates(model, boards).slice(1));
      return { boards, truth, states };
    },
    loss: ({ truth, states }) =>
      tf.addN(
        states.map((h, t) => tf.losses.meanSquaredError(truth, decode(readouts[t], [h])[0])),
      ) as tf.Scalar,
    release: ({ boards, truth, states }) => tf.dispose([boards, truth, ...states]),
    onStep: (step, loss) => {
      checkLoss(loss, step, "ceiling");
      if (step % train.evalInterval === 0) {
        options.onProgress?.({ phase: "ceiling", step, steps: train.ceilingSteps, loss });
      }
    },
  });
  return readouts;
}

/**
 * The run store's executor for `kind: "lstm"`: validates the spec's config and trains it.
 *
 * @example
 * ```ts
 * const output = await executeLstmRun(
 *   { kind: "lstm", config: QUICK_LSTM_CONFIG, seed: 1, scale: "quick" },
 *   () => {},
 * );
 * ```
 */
export async function executeLstmRun(
  spec: RunSpec,
  onProgress: (progress: RunProgress) => void,
): Promise<RunOutput> {
  const config = validateLstmConfig(spec.config);
  return { result: await trainLstmRun(config, spec.seed, { onProgress }), files: {} };
}
