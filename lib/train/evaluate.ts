/**
 * Evaluation of a model on held-out sequences: the paper's metric over the decoded hidden
 * states, and per-model-index decode accuracy (used for the learning-order trace and the 99%
 * stopping rule).
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import { type GolSequences, unpackStates } from "../gol/life.ts";
import { meanMetric, type MetricVariant } from "../metric/imagination.ts";
import { decode } from "../decoders/decoder.ts";
import type { ConvLayer } from "../layers/layers.ts";
import { gameIndexOf, type GolModel, hiddenStates } from "../models/gol_model.ts";

/**
 * What decodes the hidden states: one decoder for every model index, or one readout per index
 * (`perIndex[t]` decodes h(t), as the ceiling readouts do).
 */
export type Decoding = readonly ConvLayer[] | { perIndex: readonly (readonly ConvLayer[])[] };

function decodeAll(decoding: Decoding, states: tf.Tensor4D[]): tf.Tensor4D[] {
  if (!("perIndex" in decoding)) return decode(decoding as readonly ConvLayer[], states);
  return states.map((state, t) => decode(decoding.perIndex[t], [state])[0]);
}

/**
 * Decoded outputs h(0)..h(T) for sequences [start, start + count): Float32Array laid out
 * [count][T + 1][rows * cols].
 *
 * @example
 * ```ts
 * const outputs = decodeSequences(model, model.decoder, set, 0, 100);
 * ```
 */
export function decodeSequences(
  model: GolModel,
  decoder: Decoding,
  set: GolSequences,
  start: number,
  count: number,
): Float32Array {
  const { rows, cols } = set;
  const indices = Array.from({ length: count }, (_, i) => start + i);
  const decoded = tf.tidy(() => {
    const boards = tf.tensor4d(unpackStates(set, indices, [0]), [count, rows, cols, 1]);
    const outputs = decodeAll(decoder, hiddenStates(model, boards));
    // [T+1, count, rows, cols, 1] -> [count, T+1, rows*cols]
    return tf.transpose(tf.reshape(tf.stack(outputs), [outputs.length, count, rows * cols]), [
      1,
      0,
      2,
    ]);
  });
  const data = decoded.dataSync() as Float32Array;
  decoded.dispose();
  return data;
}

/** What {@link evaluateModel} measures. */
export interface Evaluation {
  /** Mean Eq. 1 (or the chosen variant) over the sequences. */
  metric: number;
  /** Per model index t: fraction of cells of out(t), thresholded, equal to its GoL state. */
  indexAccuracy: number[];
  /** Per model index t: fraction of boards whose out(t) is >= 98% equal to its GoL state. */
  indexSimilar98: number[];
  /** Sequences scored. */
  sequences: number;
}

/**
 * Scores a model and decoder on a held-out set.
 *
 * @example
 * ```ts
 * const result = evaluateModel(model, model.decoder, heldOut, { trainedIndices: [0, 3] });
 * ```
 */
export function evaluateModel(
  model: GolModel,
  decoder: Decoding,
  set: GolSequences,
  options: {
    trainedIndices: readonly number[];
    variant?: MetricVariant;
    batchSize?: number;
    limit?: number;
  },
): Evaluation {
  const size = set.rows * set.cols;
  const outputsPerSequence = model.config.modelTimesteps + 1;
  const batchSize = options.batchSize ?? 500;
  const total = Math.min(options.limit ?? set.count, set.count);
  const correct = new Float64Array(outputsPerSequence);
  const similar = new Float64Array(outputsPerSequence);
  let metricSum = 0;
  const allStates = Array.from({ length: set.states }, (_, t) => t);
  for (let start = 0; start < total; start += batchSize) {
    const count = Math.min(batchSize, total - start);
    const outputs = decodeSequences(model, decoder, set, start, count);
    const truth = unpackStates(set, Array.from({ length: count }, (_, i) => start + i), allStates);
    const sequences = Array.from({ length: count }, (_, s) => ({
      gol: allStates.map((t) =>
        truth.subarray((s * set.states + t) * size, (s * set.states + t + 1) * size)
      ),
      outputs: Array.from(
        { length: outputsPerSequence },
        (_, t) =>
          outputs.subarray(
            (s * outputsPerSequence + t) * size,
            (s * outputsPerSequence + t + 1) * size,
          ),
      ),
    }));
    metricSum += meanMetric(sequences, options) * count;
    for (const { gol, outputs: decoded } of sequences) {
      decoded.forEach((board, t) => {
        const target = gol[gameIndexOf(t, model.config)];
        let equal = 0;
        for (let i = 0; i < size; i++) if ((board[i] >= 0.5 ? 1 : 0) === target[i]) equal++;
        correct[t] += equal / size;
        if (equal / size >= 0.98) similar[t]++;
      });
    }
  }
  return {
    metric: metricSum / total,
    indexAccuracy: Array.from(correct, (value) => value / total),
    indexSimilar98: Array.from(similar, (value) => value / total),
    sequences: total,
  };
}
