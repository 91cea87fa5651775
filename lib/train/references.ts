/**
 * Reference points of the metric on a run's own held-out sequences: what a perfect imagination
 * scores (every output is the GoL state of its model index) and what trivial decoders score
 * without imagining anything. A claim's score means something only above the best trivial
 * decoder; the normalised score puts that decoder at 0 and a perfect imagination at 1.
 *
 * @module
 */
import { type GolSequences, stateOf } from "../gol/life.ts";
import { meanMetric, trainedIndicesFor } from "../metric/imagination.ts";
import type { ModelConfig } from "../models/config.ts";
import { gameIndexOf } from "../models/gol_model.ts";

/** Eq. 1 of reference decoders on one set of sequences. */
export interface MetricReferences {
  /** Every output is the GoL state of its model index (the reference's pairing). */
  perfect: number;
  /** Trivial decoders, by name: each output is a board that needs no imagination. */
  trivial: {
    /** Every output is an all-dead board. */
    allDead: number;
    /** Every generated output copies the input s_1. */
    copyInput: number;
    /** Every generated output copies the final state s_m. */
    copyFinal: number;
    /** Each generated output copies whichever of s_1 and s_m its game index is nearer (ties: s_m). */
    copyNearest: number;
  };
  /**
   * Per model index t, the per-cell accuracy of trivial boards against t's GoL state: the
   * floor a decoder's (or a ceiling readout's) per-index accuracy is read against. Absent in
   * entries that predate it.
   */
  cellAccuracy?: {
    /** An all-dead board (the share of dead cells). */
    allDead: number[];
    /** The input s_1. */
    copyInput: number[];
    /** The final state s_m. */
    copyFinal: number[];
  };
}

/**
 * Per model index, the best trivial board's per-cell accuracy, or null for entries that
 * predate `cellAccuracy`.
 *
 * @example
 * ```ts
 * bestTrivialCells(references); // [1, 0.81, 0.83, 1]
 * ```
 */
export function bestTrivialCells(references: MetricReferences): number[] | null {
  const cells = references.cellAccuracy;
  if (!cells) return null;
  return cells.allDead.map((dead, t) => Math.max(dead, cells.copyInput[t], cells.copyFinal[t]));
}

/**
 * The best trivial decoder's score.
 *
 * @example
 * ```ts
 * bestTrivial(references); // e.g. 0.33
 * ```
 */
export function bestTrivial(references: MetricReferences): number {
  return Math.max(...Object.values(references.trivial));
}

/**
 * A score on the scale where the best trivial decoder is 0 and a perfect imagination is 1
 * (NaN when the two coincide: the data cannot tell imagination from copying).
 *
 * @example
 * ```ts
 * normalisedScore(0.9, { perfect: 1, trivial: { allDead: 0.1, copyInput: 0.2, copyFinal: 0.3, copyNearest: 0.3 } }); // 0.857...
 * ```
 */
export function normalisedScore(score: number, references: MetricReferences): number {
  const floor = bestTrivial(references);
  const span = references.perfect - floor;
  return span > 1e-9 ? (score - floor) / span : NaN;
}

/**
 * The reference decoders' Eq. 1 on the given sequences (a run's held-out set), for a model
 * configuration's timesteps and trained indices.
 *
 * @example
 * ```ts
 * const heldOut = runSequences(QUICK_CONFIG.model, "eval", 1000, seed);
 * const { perfect, trivial } = metricReferences(heldOut, QUICK_CONFIG.model);
 * ```
 */
export function metricReferences(set: GolSequences, config: ModelConfig): MetricReferences {
  const T = config.modelTimesteps;
  const last = config.golTimesteps;
  const trainedIndices = trainedIndicesFor(T, config.useAutoencoder);
  const dead = new Uint8Array(set.rows * set.cols);
  const sequences = Array.from(
    { length: set.count },
    (_, s) => Array.from({ length: set.states }, (_, t) => stateOf(set, s, t)),
  );
  // Trained outputs are their targets; `generated` gives every other output.
  const score = (generated: (gol: Uint8Array[], t: number) => Uint8Array) =>
    meanMetric(
      sequences.map((gol) => ({
        gol,
        outputs: Array.from(
          { length: T + 1 },
          (_, t) => trainedIndices.includes(t) ? gol[gameIndexOf(t, config)] : generated(gol, t),
        ),
      })),
      { trainedIndices },
    );
  const cells = set.rows * set.cols;
  const agreement = (board: (gol: Uint8Array[]) => Uint8Array) =>
    Array.from({ length: T + 1 }, (_, t) => {
      let equal = 0;
      for (const gol of sequences) {
        const target = gol[gameIndexOf(t, config)], guess = board(gol);
        for (let i = 0; i < cells; i++) if (guess[i] === target[i]) equal++;
      }
      return equal / (cells * sequences.length);
    });
  return {
    perfect: score((gol, t) => gol[gameIndexOf(t, config)]),
    trivial: {
      allDead: score(() => dead),
      copyInput: score((gol) => gol[0]),
      copyFinal: score((gol) => gol[last]),
      copyNearest: score((gol, t) => (2 * gameIndexOf(t, config) < last ? gol[0] : gol[last])),
    },
    cellAccuracy: {
      allDead: agreement(() => dead),
      copyInput: agreement((gol) => gol[0]),
      copyFinal: agreement((gol) => gol[last]),
    },
  };
}
