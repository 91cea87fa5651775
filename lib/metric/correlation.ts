/**
 * Table 4's measure: how well decoded hidden states correlate with the true Game of Life
 * states, per sequence.
 *
 * For one sequence of true states s_1..s_m (m = k + 1 for k GoL steps) and decoded LSTM states
 * h(1)..h(n):
 * - the true states scored are s_2..s_m: the initial state is left out (the decoder is trained
 *   on it) and the final one is kept, as the paper says;
 * - the candidates are the decoded LSTM states h(1)..h(n) (h(0), the decoder's training input,
 *   is not a candidate);
 * - "best" pairing (the default): each true state takes its best-correlated candidate, and the
 *   sequence's value is the mean over the k true states. The paper pairs states "in any order"
 *   for Eq. 1 because "when the number of model and GoL timesteps are different it is not clear
 *   which states should match"; the reference's MCC metric takes the best generated state per
 *   true state. Dividing by k (not min(n, k) as Eq. 1 does) keeps the value a correlation in
 *   [-1, 1] when n < k;
 * - "aligned" pairing: LSTM state t pairs with true state s_(1 + ceil(t k / n)), so the last
 *   LSTM state pairs with the last GoL state and no LSTM state pairs with the initial one; the
 *   value is the mean over the n LSTM states.
 *
 * Pearson's r is taken over the board's pixels between the raw decoded values (the decoder's
 * linear output) and the 0/1 true board. When either board is constant r is undefined; it is
 * then 1 if the decoded board thresholded at 0.5 equals the true board, else 0 (the rule of
 * {@link matthewsCorrelation} for constant boards). The MCC variant thresholds the decoded
 * board at 0.5 and uses {@link matthewsCorrelation}; negative values are kept.
 *
 * @module
 */
import { matthewsCorrelation } from "./imagination.ts";

/** Which per-board correlation to use. */
export type CorrelationMeasure = "pearson" | "mcc";

/** How LSTM states are paired with true states. */
export type StatePairing = "best" | "aligned";

/** Options of {@link sequenceCorrelation}. */
export interface CorrelationOptions {
  /** "pearson" (default) or "mcc". */
  measure?: CorrelationMeasure;
  /** "best" (default) or "aligned". */
  pairing?: StatePairing;
}

function thresholded(board: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(board.length);
  for (let i = 0; i < board.length; i++) out[i] = board[i] >= 0.5 ? 1 : 0;
  return out;
}

/**
 * Pearson correlation of a decoded board with a true 0/1 board over pixels; for a constant
 * board (zero variance on either side) 1 when the thresholded decoded board equals the truth,
 * else 0.
 *
 * @example
 * ```ts
 * pearsonCorrelation([0.9, 0.1, 0.8, 0.2], [1, 0, 1, 0]); // about 0.99
 * pearsonCorrelation([0.1, 0.2, 0.1, 0.3], [0, 0, 0, 0]); // 1: constant truth, matched
 * ```
 */
export function pearsonCorrelation(decoded: ArrayLike<number>, truth: ArrayLike<number>): number {
  const size = truth.length;
  if (decoded.length !== size || size === 0) {
    throw new RangeError(
      `boards of ${decoded.length} and ${size} pixels: expected two non-empty boards of equal size`,
    );
  }
  let sumX = 0, sumY = 0;
  for (let i = 0; i < size; i++) {
    sumX += decoded[i];
    sumY += truth[i];
  }
  const meanX = sumX / size, meanY = sumY / size;
  let covariance = 0, varianceX = 0, varianceY = 0;
  for (let i = 0; i < size; i++) {
    const dx = decoded[i] - meanX, dy = truth[i] - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  // Relative test: float rounding leaves a tiny variance on boards that are constant.
  if (varianceX <= 1e-12 * Math.max(1, meanX * meanX) * size || varianceY === 0) {
    const binary = thresholded(decoded);
    for (let i = 0; i < size; i++) if (binary[i] !== (truth[i] >= 0.5 ? 1 : 0)) return 0;
    return 1;
  }
  return covariance / Math.sqrt(varianceX * varianceY);
}

/**
 * One board's correlation with the truth: Pearson's r on the raw decoded values, or the MCC of
 * the decoded board thresholded at 0.5.
 *
 * @example
 * ```ts
 * boardCorrelation([0.9, 0.1, 0.4, 0.2], [1, 0, 1, 0], "mcc"); // 0.58: one live cell missed
 * ```
 */
export function boardCorrelation(
  decoded: ArrayLike<number>,
  truth: ArrayLike<number>,
  measure: CorrelationMeasure,
): number {
  if (measure === "pearson") return pearsonCorrelation(decoded, truth);
  return matthewsCorrelation(thresholded(truth), thresholded(decoded));
}

/**
 * The true state that LSTM state `t` (1..n) is paired with under "aligned" pairing, as an index
 * into s_1..s_m counted from 0: ceil(t k / n).
 *
 * @example
 * ```ts
 * alignedGameIndex(1, 3, 2); // 1: with 3 LSTM and 2 GoL steps, h(1) pairs with s_2
 * alignedGameIndex(3, 3, 2); // 2: the last pairs with the last
 * ```
 */
export function alignedGameIndex(
  lstmIndex: number,
  lstmTimesteps: number,
  golTimesteps: number,
): number {
  return Math.ceil(lstmIndex * golTimesteps / lstmTimesteps);
}

/**
 * The correlation of one sequence (see the module doc for the pairing and the constant-board
 * rule).
 *
 * @param gol the true states s_1..s_m (0/1 boards)
 * @param decoded the decoded LSTM states h(1)..h(n) (h(0) left out)
 *
 * @example
 * ```ts
 * const s1 = [1, 0, 0, 1], s2 = [0, 1, 1, 0], s3 = [1, 1, 0, 0];
 * sequenceCorrelation([s1, s2, s3], [s2, s3]); // 1
 * sequenceCorrelation([s1, s2, s3], [s3, s2], { pairing: "aligned" }); // 0: in the wrong order
 * ```
 */
export function sequenceCorrelation(
  gol: readonly ArrayLike<number>[],
  decoded: readonly ArrayLike<number>[],
  options: CorrelationOptions = {},
): number {
  const golTimesteps = gol.length - 1, lstmTimesteps = decoded.length;
  if (golTimesteps < 1 || lstmTimesteps < 1) {
    throw new RangeError(
      `${gol.length} true and ${lstmTimesteps} decoded states: expected >= 2 true states (s_1 and at least one later) and >= 1 decoded state`,
    );
  }
  const measure = options.measure ?? "pearson";
  if ((options.pairing ?? "best") === "aligned") {
    let total = 0;
    for (let t = 1; t <= lstmTimesteps; t++) {
      const truth = gol[alignedGameIndex(t, lstmTimesteps, golTimesteps)];
      total += boardCorrelation(decoded[t - 1], truth, measure);
    }
    return total / lstmTimesteps;
  }
  let total = 0;
  for (let j = 1; j <= golTimesteps; j++) {
    let best = -Infinity;
    for (const board of decoded) best = Math.max(best, boardCorrelation(board, gol[j], measure));
    total += best;
  }
  return total / golTimesteps;
}
