/**
 * The paper's interpretability metric (Eq. 1), the literal double sum of its formula, and the
 * reference implementation's later Matthews-correlation variant.
 *
 * **Which metric, and why.** The paper says: "we count the number of h_i outputs that match any
 * s_j GoL state and divide it by the minimum between n and m - 2", and "the calculated metric
 * could be greater than 1 if n > m - 2". Its formula, a double sum over generated states h_i
 * and true states s_j, says more than the words: a generated state within 5% of several true
 * states (a still life, an oscillator, a dying board) is counted once per true state, so one
 * imagined still life with n = 1 < m - 2 = 2 scores 2.0. We follow the words (variant "match",
 * the default): each generated state counts at most once, for its best-matching true state (the
 * highest fraction of equal pixels, at least 95%); it scores 1 if no other generated state took
 * that true state and 0.5 if one did. When several true states tie for best (identical repeated
 * states), the generated states are spread over as many distinct true states as possible, so a
 * perfect imagination of a still life scores 1 and the order of the generated states never
 * changes the score. The score is then at most n / min(n, m - 2) and exceeds 1 only when
 * n > m - 2, as the paper says, and the paper's Appendix A examples keep their values (0.5,
 * 0.75, 1.0, 1.5). The literal double sum stays as variant "double-sum" for comparison. Variant
 * "mcc" is the reference implementation's latest metric: for each true state the best Matthews
 * correlation with any generated state, negatives clipped to 0, averaged over the true states;
 * it never exceeds 1, and when n < m - 2 it stays below 1 even for a perfect imagination of
 * distinct states.
 *
 * For one sequence of true states s_1..s_m and model outputs h(0)..h(T):
 * - every output is thresholded at 0.5;
 * - the *generated* states are the outputs at indices not in `trainedIndices`; following the
 *   reference implementation, the trained indices are 0 (only when the autoencoder loss is
 *   on) and T, so without the autoencoder h(0) counts as a generated state;
 * - the *true* states are s_2..s_{m-1} (the input s_1 and the trained target s_m are left out);
 * - n = number of generated states; m - 2 = number of true states.
 *
 * The three variants:
 * - "match": generated state h_i matches the true states sharing its highest fraction of equal
 *   pixels, if that fraction is >= 95%. Each matched h_i is assigned one of them, maximising
 *   the number of distinct true states assigned (a maximum bipartite matching over the tied
 *   candidates: "prefer a true state not matched yet", made independent of the order). A true
 *   state assigned c >= 1 generated states earns 1 + 0.5 (c - 1): the first scores 1, the
 *   others 0.5. Score = total / min(n, m - 2).
 * - "double-sum": Eq. 1's formula taken literally: f(h_i, s_j) = 0 below 95% equal pixels, else
 *   1 if no earlier generated state (in model order) matched s_j, and 0.5 if one did; score =
 *   sum over i, j of f(h_i, s_j) / min(n, m - 2). Unbounded by n / min(n, m - 2).
 * - "mcc": mean over the m - 2 true states of max(0, best MCC with any generated state). The
 *   reference divides by the number of true states too; dividing by min(n, m - 2), as an
 *   earlier version of this module did, lets one generated state that resembles two true
 *   states score 2. One difference remains: the reference takes, per true state, the generated
 *   index with the best MCC averaged over the batch, while this takes the best generated state
 *   per sequence and averages the sequence scores.
 *
 * @module
 */

/** Which per-sequence score to compute. */
export type MetricVariant = "match" | "double-sum" | "mcc";

/**
 * Every {@link MetricVariant}, the default ("match") first.
 *
 * @example
 * ```ts
 * METRIC_VARIANTS.includes("mcc"); // true
 * ```
 */
export const METRIC_VARIANTS: readonly MetricVariant[] = ["match", "double-sum", "mcc"];

/** Options of the metric. */
export interface MetricOptions {
  /** Model indices the decoder was trained on (excluded from the generated states). */
  trainedIndices: readonly number[];
  /**
   * "match" = Eq. 1 as the paper words it (default); "double-sum" = Eq. 1's formula taken
   * literally; "mcc" = the reference's Matthews-correlation variant.
   */
  variant?: MetricVariant;
  /** Fraction of equal pixels needed for a match (default 0.95). */
  matchFraction?: number;
}

/** Threshold at 0.5: values >= 0.5 are alive. */
function binary(board: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(board.length);
  for (let i = 0; i < board.length; i++) out[i] = board[i] >= 0.5 ? 1 : 0;
  return out;
}

function equalFraction(a: Uint8Array, b: Uint8Array): number {
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return equal / a.length;
}

/**
 * Matthews correlation of two binary boards. Two identical boards score 1 (also when both are
 * constant, as in the reference's all-dead test); a constant board against a different one
 * scores 0.
 *
 * @example
 * ```ts
 * matthewsCorrelation(Uint8Array.of(1, 0, 1, 0), Uint8Array.of(1, 0, 1, 0)); // 1
 * ```
 */
export function matthewsCorrelation(truth: Uint8Array, generated: Uint8Array): number {
  let tp = 0, tn = 0, fp = 0, fn = 0;
  for (let i = 0; i < truth.length; i++) {
    if (truth[i]) generated[i] ? tp++ : fn++;
    else generated[i] ? fp++ : tn++;
  }
  if (fp === 0 && fn === 0) return 1;
  const denominator = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return denominator === 0 ? 0 : (tp * tn - fp * fn) / denominator;
}

/**
 * The indices of the generated states: all model indices 0..T not trained on.
 *
 * @example
 * ```ts
 * generatedIndices(4, [0, 3]); // [1, 2]
 * ```
 */
export function generatedIndices(modelStates: number, trainedIndices: readonly number[]): number[] {
  for (const index of trainedIndices) {
    if (!Number.isInteger(index) || index < 0 || index >= modelStates) {
      throw new RangeError(
        `trained index ${index}: expected an integer in 0..${
          modelStates - 1
        } (${modelStates} model outputs)`,
      );
    }
  }
  return [...Array(modelStates).keys()].filter((index) => !trainedIndices.includes(index));
}

/**
 * Eq. 1 (or one of its variants) for one sequence.
 *
 * @param gol the true states s_1..s_m (0/1 boards, any equal length)
 * @param outputs the decoded model outputs h(0)..h(T) (probabilities or 0/1)
 *
 * @example
 * ```ts
 * const a = [0, 1, 0, 1], b = [1, 1, 0, 0], c = [0, 0, 1, 1];
 * sequenceMetric([a, b, c], [a, b, c], { trainedIndices: [0, 2] }); // 1
 * ```
 */
export function sequenceMetric(
  gol: readonly ArrayLike<number>[],
  outputs: readonly ArrayLike<number>[],
  options: MetricOptions,
): number {
  const trueStates = gol.slice(1, gol.length - 1).map(binary);
  const generated = generatedIndices(outputs.length, options.trainedIndices)
    .map((index) => binary(outputs[index]));
  const denominator = Math.min(generated.length, trueStates.length);
  if (denominator === 0) {
    throw new RangeError(
      `no states to compare: ${generated.length} generated and ${trueStates.length} intermediate true states (need >= 1 each: at least 2 GoL steps)`,
    );
  }
  const needed = options.matchFraction ?? 0.95;
  if (!(needed > 0 && needed <= 1)) {
    throw new RangeError(`matchFraction ${needed}: expected a number in (0, 1]`);
  }
  const variant = options.variant ?? "match";
  switch (variant) {
    case "match":
      return matchTotal(trueStates, generated, needed) / denominator;
    case "double-sum":
      return doubleSumTotal(trueStates, generated, needed) / denominator;
    case "mcc":
      return meanBestCorrelation(trueStates, generated);
    default:
      throw new RangeError(`variant ${variant}: expected one of ${METRIC_VARIANTS.join(", ")}`);
  }
}

/** Eq. 1's numerator as the paper words it: each generated state counts at most once. */
function matchTotal(trueStates: Uint8Array[], generated: Uint8Array[], needed: number): number {
  // For each generated state, the true states tied for its best match (empty: no match).
  const candidates = generated.map((board) => {
    const equal = trueStates.map((truth) => equalFraction(board, truth));
    const best = Math.max(...equal);
    if (best < needed) return [];
    return equal.flatMap((fraction, j) => fraction === best ? [j] : []);
  });
  const matched = candidates.filter((tied) => tied.length > 0).length;
  const distinct = maximumMatching(candidates, trueStates.length);
  return distinct + 0.5 * (matched - distinct);
}

/**
 * The size of a maximum matching between generated states and true states, where generated
 * state i may take any true state in `candidates[i]` (Kuhn's augmenting paths).
 */
function maximumMatching(candidates: number[][], trueCount: number): number {
  const takenBy = new Array<number>(trueCount).fill(-1);
  function augment(i: number, visited: boolean[]): boolean {
    for (const j of candidates[i]) {
      if (visited[j]) continue;
      visited[j] = true;
      if (takenBy[j] < 0 || augment(takenBy[j], visited)) {
        takenBy[j] = i;
        return true;
      }
    }
    return false;
  }
  let size = 0;
  for (let i = 0; i < candidates.length; i++) {
    if (augment(i, new Array<boolean>(trueCount).fill(false))) size++;
  }
  return size;
}

/** Eq. 1's numerator taken literally: a generated state scores for every true state it matches. */
function doubleSumTotal(trueStates: Uint8Array[], generated: Uint8Array[], needed: number): number {
  const matchedBefore = new Array<boolean>(trueStates.length).fill(false);
  let total = 0;
  for (const board of generated) {
    trueStates.forEach((truth, j) => {
      if (equalFraction(board, truth) < needed) return;
      total += matchedBefore[j] ? 0.5 : 1;
      matchedBefore[j] = true;
    });
  }
  return total;
}

/** The reference's MCC metric: mean over true states of the best clipped MCC. */
function meanBestCorrelation(trueStates: Uint8Array[], generated: Uint8Array[]): number {
  let total = 0;
  for (const truth of trueStates) {
    let best = 0;
    for (const board of generated) best = Math.max(best, matthewsCorrelation(truth, board));
    total += best;
  }
  return total / trueStates.length;
}

/**
 * The paper's reported value: the mean of {@link sequenceMetric} over sequences.
 *
 * @example
 * ```ts
 * const a = [0, 1], b = [1, 1], c = [0, 0];
 * meanMetric([{ gol: [a, b, c], outputs: [a, b, c] }], { trainedIndices: [0, 2] }); // 1
 * ```
 */
export function meanMetric(
  sequences: Iterable<{ gol: readonly ArrayLike<number>[]; outputs: readonly ArrayLike<number>[] }>,
  options: MetricOptions,
): number {
  let total = 0, count = 0;
  for (const { gol, outputs } of sequences) {
    total += sequenceMetric(gol, outputs, options);
    count++;
  }
  if (count === 0) throw new RangeError("no sequences to score");
  return total / count;
}

/**
 * The reference's trained indices: 0 when the autoencoder loss is on, and T.
 *
 * @example
 * ```ts
 * trainedIndicesFor(3, true); // [0, 3]
 * ```
 */
export function trainedIndicesFor(modelTimesteps: number, useAutoencoder: boolean): number[] {
  return useAutoencoder ? [0, modelTimesteps] : [modelTimesteps];
}
