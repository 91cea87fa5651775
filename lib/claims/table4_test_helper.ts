/**
 * Synthetic cell-count results for unit tests of the Table 4 statistic and the report.
 *
 * @module
 */
import type { CorrelationScores } from "../lstm/score.ts";
import type { LstmResult } from "../lstm/train.ts";

function scores(pearson: number): CorrelationScores {
  return {
    pearson,
    mcc: pearson - 0.1,
    alignedPearson: pearson - 0.05,
    alignedMcc: pearson - 0.15,
  };
}

/**
 * A synthetic cell-count result for tests of the statistic and the report: the trained
 * decoder's correlation, and optionally chance, copy input and the count's convergence.
 *
 * @example
 * ```ts
 * const run = syntheticRun(0.8, { copyInput: 0.5 });
 * ```
 */
export function syntheticRun(
  trained: number,
  options: { chance?: number; copyInput?: number; countMse?: number; reachedTarget?: boolean } = {},
): LstmResult {
  return {
    status: "ok",
    backend: { name: "cpu", tfjsBackend: "cpu", tfjsVersion: "test", detail: "synthetic" },
    steps: 100,
    countMse: options.countMse ?? 0.002,
    countR2: 0.8,
    shortcutMse: 0.004,
    shortcutR2: 0.6,
    reachedTarget: options.reachedTarget ?? false,
    history: [],
    evalSequences: 10,
    trained: scores(trained),
    chance: scores(options.chance ?? 0.2),
    ceiling: scores(0.9),
    copyInput: scores(options.copyInput ?? 0.5),
    examples: [{
      truth: [[0, 1, 1, 0], [1, 1, 0, 0], [0, 0, 1, 1]],
      decoded: [[0.1, 0.9, 0.8, 0], [0.9, 0.8, 0.1, 0], [0.2, 0.1, 0.7, 0.9], [0, 0, 0.9, 0.8]],
      pearson: trained,
    }],
    seconds: { train: 1, ceiling: 1, evaluate: 1, total: 3, cpu: 3 },
  };
}
