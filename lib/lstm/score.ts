/**
 * Scoring of the Section 3.2 experiment (Table 4): the count head's held-out fit against the
 * density shortcut, and the correlation of decoded hidden states with the true intermediate
 * states (lib/metric/correlation.ts), with Pearson and MCC, best and aligned pairing.
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import { decode, type Decoder } from "../decoders/decoder.ts";
import { type GolSequences, unpackStates } from "../gol/life.ts";
import {
  alignedGameIndex,
  boardCorrelation,
  type CorrelationMeasure,
  sequenceCorrelation,
} from "../metric/correlation.ts";
import { type ConvLstmCell, countCells, type CountModel, lstmStates } from "./conv_lstm.ts";

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

/**
 * Live fraction of every board of a float batch laid out [boards][cells].
 *
 * @example
 * ```ts
 * const fractions = liveFractions(unpackStates(set, [0, 1], [0]), set.rows * set.cols);
 * ```
 */
export function liveFractions(boards: Float32Array, cells: number): Float32Array {
  const out = new Float32Array(boards.length / cells);
  for (let b = 0; b < out.length; b++) {
    let alive = 0;
    for (let i = 0; i < cells; i++) alive += boards[b * cells + i];
    out[b] = alive / cells;
  }
  return out;
}

/**
 * Held-out count MSE and R^2 of boards whose live fractions are `first` (s_1) and `last`
 * (s_m), and the density shortcut's (the least-squares line from the one to the other).
 *
 * @example
 * ```ts
 * const { r2, shortcutR2 } = countScores(model, { boards, first, last });
 * ```
 */
export function countScores(
  model: CountModel,
  heldOut: { boards: tf.Tensor4D; first: Float32Array; last: Float32Array },
): { mse: number; r2: number; shortcutMse: number; shortcutR2: number } {
  const { boards, first, last } = heldOut;
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
 * The model's decoder on h(0)..h(n) of every board: [board][state][cell]. `cell` runs the same
 * encoder and decoder with another LSTM (the untrained one, for the chance level).
 *
 * @example
 * ```ts
 * const decoded = decodeLstmStates(model, boards, { cell: untrainedCell });
 * ```
 */
export function decodeLstmStates(
  model: CountModel,
  boards: tf.Tensor4D,
  options: { cell?: ConvLstmCell } = {},
): number[][][] {
  const { cell } = options;
  const data = tf.tidy(() => {
    const states = lstmStates(model, boards, cell);
    const decoded = decode(model.decoder, states);
    return tf.stack(decoded.map((d) => tf.reshape(d, [d.shape[0], -1])), 1).arraySync();
  });
  return data as number[][][];
}

/**
 * The ceiling readouts' outputs: [board][LSTM state 1..n][true state s_2..s_m][cell].
 *
 * @example
 * ```ts
 * const read = readCeiling(model, { readouts, boards });
 * ```
 */
export function readCeiling(
  model: CountModel,
  ceiling: { readouts: Decoder[]; boards: tf.Tensor4D },
): number[][][][] {
  const { readouts, boards } = ceiling;
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

/** What {@link scoreSequences} scores. */
export interface ScoredSequences {
  /** The sequences of the set scored. */
  sequences: number[];
  /** The decoded states that may stand for true state j (1..k) of sequence s. */
  candidates: (sequence: number, trueState: number) => ArrayLike<number>[];
  /**
   * The board that LSTM state t (1..n) is scored with under aligned pairing (default:
   * candidates(s, 1)[t - 1]).
   */
  aligned?: (sequence: number, lstmState: number) => ArrayLike<number>;
}

/**
 * Scores sequences with both measures (Pearson, MCC) and both pairings (best, aligned).
 *
 * @example
 * ```ts
 * const trained = scoreSequences(heldOut, { sequences, candidates: (s) => decoded[s].slice(1) });
 * ```
 */
export function scoreSequences(set: GolSequences, scored: ScoredSequences): CorrelationScores {
  const { sequences, candidates } = scored;
  const aligned = scored.aligned ?? ((s: number, t: number) => candidates(s, 1)[t - 1]);
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
