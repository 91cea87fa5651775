/**
 * The paper's interpretability metric (Eq. 1) and the reference implementation's later
 * Matthews-correlation variant.
 *
 * For one sequence of true states s_1..s_m and model outputs h(0)..h(T):
 * - every output is thresholded at 0.5;
 * - the *generated* states are the outputs at indices not in `trainedIndices`; following the
 *   reference implementation, the trained indices are 0 (only when the autoencoder loss is
 *   on) and T, so without the autoencoder h(0) counts as a generated state;
 * - the *true* states are s_2..s_{m-1} (the input s_1 and the trained target s_m are left out);
 * - f(h_i, s_j) = 0 when fewer than 95% of pixels agree, else 1 if no earlier generated state
 *   (in model order) matched s_j, and 0.5 if one did;
 * - score = sum over i, j of f(h_i, s_j) / min(n, m - 2), n = number of generated states.
 *
 * The score can exceed 1 when n > m - 2 (Figure 6: 1.5). A generated state within 5% of two
 * true states is credited for both, as the sum in Eq. 1 says.
 *
 * @module
 */

/** Which per-sequence score to compute. */
export type MetricVariant = "match" | "mcc";

/** Options of the metric. */
export interface MetricOptions {
  /** Model indices the decoder was trained on (excluded from the generated states). */
  trainedIndices: readonly number[];
  /** "match" = Eq. 1 (default); "mcc" = the reference's Matthews-correlation variant. */
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
 * Eq. 1 (or the MCC variant) for one sequence.
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
  if (options.variant === "mcc") {
    let total = 0;
    for (const truth of trueStates) {
      let best = 0;
      for (const board of generated) best = Math.max(best, matthewsCorrelation(truth, board));
      total += best;
    }
    return total / denominator;
  }
  const needed = options.matchFraction ?? 0.95;
  const matchedBefore = new Array(trueStates.length).fill(false);
  let total = 0;
  for (const board of generated) {
    trueStates.forEach((truth, j) => {
      if (equalFraction(board, truth) < needed) return;
      total += matchedBefore[j] ? 0.5 : 1;
      matchedBefore[j] = true;
    });
  }
  return total / denominator;
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
