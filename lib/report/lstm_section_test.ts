import assert from "node:assert/strict";
import { expectationOf } from "../claims/preregistration.ts";
import { type Context, evaluateClaims } from "../claims/protocol.ts";
import { TABLE4_CLAIMS, TABLE4_ROWS, table4Specs } from "../claims/table4.ts";
import { syntheticRun } from "../claims/table4_test_helper.ts";
import { RunStore } from "../runs/store.ts";
import { lstmReportSection } from "./lstm_section.ts";

Deno.test("the Table 4 section lists every row with its references and figure, from outcomes", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  const context: Context = { scale: "quick", seedBase: 7, store, quiet: true };
  for (const [i, row] of TABLE4_ROWS.entries()) {
    for (const spec of table4Specs(row, "quick", context.seedBase)) {
      await store.write(
        spec,
        syntheticRun(i === 0 ? 0.8 : 0.5, { copyInput: 0.5, reachedTarget: true }),
      );
    }
  }
  const outcomes = await evaluateClaims(TABLE4_CLAIMS, context, expectationOf);
  assert.deepEqual(outcomes.map((o) => o.trainedNow), TABLE4_ROWS.map(() => 0), "all stored");
  assert.equal(outcomes[0].measurement.verdict, "reproduced");
  assert.equal(
    outcomes[1].measurement.verdict,
    "contradicted",
    "0.50 lies wholly below 0.81 - 0.1",
  );
  const outDir = Deno.makeTempDirSync();
  const markdown = await lstmReportSection(outcomes, outDir);
  const rows = markdown.split("\n").filter((line) => /^\| \d \| \d \|/.test(line));
  assert.equal(rows.length, 7);
  assert.match(rows[0], /^\| 2 \| 2 \| 0.79 \(8\) \| 0.80 \| 3\/3 \| 0.20 \(/);
  assert.match(markdown, /!\[.*\]\(lstm_imagination.png\)/);
  const png = Deno.readFileSync(`${outDir}/lstm_imagination.png`);
  assert.deepEqual(Array.from(png.subarray(1, 4)), [80, 78, 71]); // "PNG"
  assert.equal(await lstmReportSection([], outDir), "");
});
