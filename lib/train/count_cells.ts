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
import { type GolSequences, runSequences, unpackStates } from "../gol/life.ts";
import {
  alignedGameIndex,
  boardCorrelation,
  type CorrelationMeasure,
  sequenceCorrelation,
} from "../metric/correlation.ts";
import {
  type ConvLstmCell,
  type ConvLstmConfig,
  copyCell,
  countCells,
  type CountModel,
  countModelTrunk,
  createCountModel,
  disposeCountModel,
  lstmStates,
} from "../models/conv_lstm.ts";
import { createDecoder, decode, type Decoder } from "../decoders/decoder.ts";
import { trainSupervised } from "../decoders/train.ts";
import { variablesOf } from "../layers/layers.ts";
import type { RunOutput, RunProgress } from "../runs/kinds.ts";
import type { RunSpec } from "../runs/store.ts";
import { createRng, deriveSeed, type Rng } from "../stats/rng.ts";
import { optimizerStep } from "../layers/optimize.ts";
import { setLearningRate } from "./step.ts";
import { type FieldRule, SHARED_TRAIN_RULES, validateFields } from "./validate.ts";

/** Training of a cell-count run. */
export interface LstmTrainConfig {
  /** Sequences per batch. */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Exponential decay: multiply the rate by `decayRate` every `decaySteps` steps. */
  decayRate: number;
  /** See `decayRate`. */
  decaySteps: number;
  /** Gradients are clipped by value to +- this (reference: 0.1). */
  clipValue: number;
  /** Step cap. */
  maxSteps: number;
  /** Check the held-out count every this many steps. */
  evalInterval: number;
  /** Stop once the held-out count R^2 reaches this (1 never stops early). */
  targetCountR2: number;
  /** Training sequences generated once. */
  trainSequences: number;
  /** Held-out sequences scored. */
  evalSequences: number;
  /** Steps of the ceiling readouts on the frozen model (0 skips the ceiling). */
  ceilingSteps: number;
  /** Held-out sequences stored with their decoded states, for figures. */
  exampleSequences: number;
}

/** A cell-count run's whole configuration. */
export interface LstmRunConfig {
  /** The model. */
  model: ConvLstmConfig;
  /** Its training. */
  train: LstmTrainConfig;
}

/** The paper's sizes (10x10 boards, 20 channels, the reference's optimiser settings). */
export const PAPER_LSTM_CONFIG: LstmRunConfig = {
  model: {
    boardSize: 10,
    golTimesteps: 3,
    lstmTimesteps: 3,
    encodedSize: 20,
    encoderLayers: 1,
    decoderLayers: 1,
    countLayers: 1,
    countAutoencoder: true,
  },
  train: {
    batchSize: 128,
    learningRate: 1e-3,
    decayRate: 0.9,
    decaySteps: 100_000,
    clipValue: 0.1,
    maxSteps: 200_000,
    evalInterval: 5_000,
    targetCountR2: 0.99,
    trainSequences: 200_000,
    evalSequences: 10_000,
    ceilingSteps: 20_000,
    exampleSequences: 4,
  },
};

/**
 * Quick-scale sizes: one run in about half a minute of one core. Adam at 1e-2: on a seed
 * outside the claims' (seed 1, 3 GoL / 3 LSTM timesteps, 1,500 steps) it reached count R^2
 * 0.83 and correlation 0.54 where 3e-3 reached 0.81 and 0.36; the count's R^2 barely moves
 * after 1,000 steps at either rate.
 */
export const QUICK_LSTM_CONFIG: LstmRunConfig = {
  model: { ...PAPER_LSTM_CONFIG.model, boardSize: 8, encodedSize: 8 },
  train: {
    ...PAPER_LSTM_CONFIG.train,
    batchSize: 32,
    learningRate: 1e-2,
    maxSteps: 1_200,
    evalInterval: 250,
    trainSequences: 20_000,
    evalSequences: 500,
    ceilingSteps: 300,
  },
};

const MODEL_RULES: Record<keyof ConvLstmConfig, FieldRule> = {
  boardSize: { integer: true, min: 3, max: 64 },
  golTimesteps: { integer: true, min: 1, max: 8 },
  lstmTimesteps: { integer: true, min: 1, max: 8 },
  encodedSize: { integer: true, min: 1, max: 256 },
  encoderLayers: { integer: true, min: 1, max: 4 },
  decoderLayers: { integer: true, min: 1, max: 4 },
  countLayers: { integer: true, min: 0, max: 8 },
  countAutoencoder: "boolean",
};

const TRAIN_RULES: Record<keyof LstmTrainConfig, FieldRule> = {
  ...SHARED_TRAIN_RULES,
  targetCountR2: { min: 0, max: 1, minExclusive: true },
  ceilingSteps: { integer: true, min: 0, max: 1e7 },
  exampleSequences: { integer: true, min: 0, max: 64 },
};

/**
 * Validates a (possibly partial) cell-count configuration, filling missing fields from `base`
 * (default: quick scale).
 *
 * @example
 * ```ts
 * const config = validateLstmConfig({ model: { golTimesteps: 2, lstmTimesteps: 3 } });
 * ```
 */
export function validateLstmConfig(
  value: unknown,
  base: LstmRunConfig = QUICK_LSTM_CONFIG,
): LstmRunConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error('config: expected an object with "model" and/or "train"');
  }
  const { model, train, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new Error(`config.${unknown[0]}: unknown field; expected model or train`);
  }
  return {
    model: validateFields("model", model, MODEL_RULES, { ...base.model }),
    train: validateFields("train", train, TRAIN_RULES, { ...base.train }),
  } as unknown as LstmRunConfig;
}

/** Table 4's correlation of one decoder, with both measures and both pairings. */
export interface CorrelationScores {
  /** Pearson r, best pairing: Table 4's statistic. */
  pearson: number;
  /** MCC of the thresholded boards, best pairing. */
  mcc: number;
  /** Pearson r, aligned pairing. */
  alignedPearson: number;
  /** MCC, aligned pairing. */
  alignedMcc: number;
}

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

/** Live fraction of every board of a float batch laid out [boards][cells]. */
function liveFractions(boards: Float32Array, cells: number): Float32Array {
  const out = new Float32Array(boards.length / cells);
  for (let b = 0; b < out.length; b++) {
    let alive = 0;
    for (let i = 0; i < cells; i++) alive += boards[b * cells + i];
    out[b] = alive / cells;
  }
  return out;
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

/** Held-out count MSE and R^2, and the density shortcut's. */
function countScores(
  model: CountModel,
  boards: tf.Tensor4D,
  first: Float32Array,
  last: Float32Array,
): { mse: number; r2: number; shortcutMse: number; shortcutR2: number } {
  const predicted = tf.tidy(() => {
    const states = lstmStates(model, boards);
    return countCells(model.count, states[states.length - 1]).dataSync() as Float32Array;
  });
  const count = last.length;
  let meanFirst = 0, meanLast = 0;
  for (let i = 0; i < count; i++) {
    meanFirst += first[i] / count;
    meanLast += last[i] / count;
  }
  let variance = 0, covariance = 0, varianceFirst = 0, mse = 0;
  for (let i = 0; i < count; i++) {
    variance += (last[i] - meanLast) ** 2 / count;
    covariance += (first[i] - meanFirst) * (last[i] - meanLast) / count;
    varianceFirst += (first[i] - meanFirst) ** 2 / count;
    mse += (predicted[i] - last[i]) ** 2 / count;
  }
  const shortcutMse = variance - (varianceFirst > 0 ? covariance ** 2 / varianceFirst : 0);
  return {
    mse,
    r2: 1 - mse / variance,
    shortcutMse,
    shortcutR2: 1 - shortcutMse / variance,
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
  const copyInput = scoreSequences(heldOut, heldOutIndices, (s) => {
    const first = Array.from(unpackStates(heldOut, [s], [0]));
    return Array.from({ length: modelConfig.lstmTimesteps }, () => first);
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
        const scores = countScores(model, heldOutBoards, firstFractions, lastFractions);
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
    const trainedDecoded = decodeAll(model, heldOutBoards);
    const chanceDecoded = decodeAll(model, heldOutBoards, untrainedCell);
    const n = modelConfig.lstmTimesteps;
    result.trained = scoreSequences(heldOut, heldOutIndices, (s) => trainedDecoded[s].slice(1));
    result.chance = scoreSequences(heldOut, heldOutIndices, (s) => chanceDecoded[s].slice(1));
    if (readouts.length > 0) {
      const ceilingDecoded = readAll(model, readouts, heldOutBoards);
      result.ceiling = scoreSequences(
        heldOut,
        heldOutIndices,
        (s, j) => ceilingDecoded[s].map((perTarget) => perTarget[j - 1]),
        (s, t) => ceilingDecoded[s][t - 1][alignedGameIndex(t, n, modelConfig.golTimesteps) - 1],
      );
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

/** Decoded h(0)..h(n) of every board: [board][state][cell]. */
function decodeAll(
  model: CountModel,
  boards: tf.Tensor4D,
  cell?: ConvLstmCell,
): number[][][] {
  const data = tf.tidy(() => {
    const states = lstmStates(model, boards, cell);
    const decoded = decode(model.decoder, states);
    return tf.stack(decoded.map((d) => tf.reshape(d, [d.shape[0], -1])), 1).arraySync();
  });
  return data as number[][][];
}

/** Ceiling readouts' outputs: [board][LSTM state 1..n][true state s_2..s_m][cell]. */
function readAll(
  model: CountModel,
  readouts: Decoder[],
  boards: tf.Tensor4D,
): number[][][][] {
  const data = tf.tidy(() => {
    const states = lstmStates(model, boards).slice(1);
    const outputs = states.map((h, t) => decode(readouts[t], [h])[0]);
    // [board, state, rows, cols, target] -> [board, state, target, cells]
    const stacked = tf.stack(outputs, 1);
    const [count, n, rows, cols, targets] = stacked.shape;
    return tf.reshape(tf.transpose(stacked, [0, 1, 4, 2, 3]), [count, n, targets, rows * cols])
      .arraySync();
  });
  return data as number[][][][];
}

/**
 * Scores sequences with both measures and pairings. `candidates(s, j)` gives the decoded states
 * that may stand for true state j (1..k) of sequence s; `aligned(s, t)` the board that LSTM
 * state t (1..n) is scored with under aligned pairing (default: candidates(s, 1)[t - 1]).
 */
function scoreSequences(
  set: GolSequences,
  sequences: number[],
  candidates: (sequence: number, trueState: number) => ArrayLike<number>[],
  aligned: (sequence: number, lstmState: number) => ArrayLike<number> = (s, t) =>
    candidates(s, 1)[t - 1],
): CorrelationScores {
  const scores = { pearson: 0, mcc: 0, alignedPearson: 0, alignedMcc: 0 };
  const golTimesteps = set.states - 1;
  for (const s of sequences) {
    const gol = Array.from({ length: set.states }, (_, t) => unpackStates(set, [s], [t]));
    const lstmTimesteps = candidates(s, 1).length;
    for (const measure of ["pearson", "mcc"] as CorrelationMeasure[]) {
      let best = 0, inOrder = 0;
      for (let j = 1; j <= golTimesteps; j++) {
        // The best candidate for s_j: the module's best pairing with s_j as the only true state.
        best += sequenceCorrelation([gol[0], gol[j]], candidates(s, j), { measure });
      }
      for (let t = 1; t <= lstmTimesteps; t++) {
        const truth = gol[alignedGameIndex(t, lstmTimesteps, golTimesteps)];
        inOrder += boardCorrelation(aligned(s, t), truth, measure);
      }
      const weight = 1 / sequences.length;
      if (measure === "pearson") {
        scores.pearson += best / golTimesteps * weight;
        scores.alignedPearson += inOrder / lstmTimesteps * weight;
      } else {
        scores.mcc += best / golTimesteps * weight;
        scores.alignedMcc += inOrder / lstmTimesteps * weight;
      }
    }
  }
  return scores;
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
