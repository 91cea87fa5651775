/**
 * The body of every claims/table4_*_test.ts: measure the row and assert its expectation,
 * printing the measurement, the reference levels and the seed base (so a failure can be
 * replayed).
 *
 * @module
 */
import assert from "node:assert/strict";
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
