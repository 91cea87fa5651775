/**
 * Reference points for the metric on a configuration's own data: what a perfect imagination
 * scores (the ground truth decoded as itself; above 1 where boards repeat states, as small
 * boards that die out do), and what trivial decoders score without imagining anything.
 *
 * @module
 */
import { generateSequences, stateOf } from "../gol/life.ts";
import { meanMetric, trainedIndicesFor } from "../metric/imagination.ts";
import type { ModelConfig } from "../models/config.ts";
import { gameIndexOf } from "../models/gol_model.ts";

/** Metric values of reference decoders. */
export interface MetricBaselines {
  /** Every output is the GoL state of its model index (the reference's pairing). */
  perfect: number;
  /** Every output is an all-dead board. */
  allDead: number;
  /** Outputs copy the input board, except the trained final output. */
  copyInput: number;
  /** Outputs copy the final state, except the trained first output. */
  copyFinal: number;
}

/**
 * Baselines of a model configuration on `count` sequences of its data distribution.
 *
 * @example
 * ```ts
 * const { perfect, copyFinal } = metricBaselines(QUICK_CONFIG.model, 1000, 1);
 * ```
 */
export function metricBaselines(config: ModelConfig, count: number, seed: number): MetricBaselines {
  const size = config.boardSize;
  const set = generateSequences(
    { rows: size, cols: size, golTimesteps: config.golTimesteps, count },
    seed,
  );
  const T = config.modelTimesteps;
  const options = { trainedIndices: trainedIndicesFor(T, config.useAutoencoder) };
  const sequences = Array.from(
    { length: set.count },
    (_, s) => Array.from({ length: set.states }, (_, t) => stateOf(set, s, t)),
  );
  const dead = new Uint8Array(size * size);
  const score = (output: (gol: Uint8Array[], t: number) => Uint8Array) =>
    meanMetric(
      sequences.map((gol) => ({
        gol,
        outputs: Array.from({ length: T + 1 }, (_, t) => output(gol, t)),
      })),
      options,
    );
  const last = config.golTimesteps;
  return {
    perfect: score((gol, t) => gol[gameIndexOf(t, config)]),
    allDead: score(() => dead),
    copyInput: score((gol, t) => (t === T ? gol[last] : gol[0])),
    copyFinal: score((gol, t) => (t === 0 ? gol[0] : gol[last])),
  };
}
