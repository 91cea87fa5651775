/**
 * The body of every claims/table4_*_test.ts: measure the row and assert its expectation,
 * printing the measurement, the reference levels and the seed base (so a failure can be
 * replayed); and synthetic results for unit tests of the statistic and the report.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { CorrelationScores, LstmResult } from "../train/count_cells.ts";
import { describeTable4, measureTable4Rows, table4Row } from "./table4.ts";

/**
 * Registers the Deno test of a Table 4 row.
 *
 * @example
 * ```ts
 * table4ClaimTest("table4-gol2-lstm2");
 * ```
 */
export function table4ClaimTest(id: string): void {
  const row = table4Row(id);
  Deno.test(
    `Table 4, GoL ${row.golTimesteps} / LSTM ${row.lstmTimesteps}: decoded LSTM states correlate ${row.paperMean} with the true states`,
    async () => {
      const [outcome] = await measureTable4Rows([row]);
      const description = describeTable4(outcome);
      console.log(description);
      assert.ok(
        outcome.asExpected,
        outcome.expectation.expect === "reproduces"
          ? `claim not reproduced: ${description}`
          : `row recorded as not reproduced now holds; update lib/claims/table4.ts with this evidence: ${description}`,
      );
    },
  );
}

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
