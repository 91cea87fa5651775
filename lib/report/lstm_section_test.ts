import assert from "node:assert/strict";
import { TABLE4_ROWS, table4Specs } from "../claims/table4.ts";
import { syntheticRun } from "../claims/table4_test_helper.ts";
import { RunStore } from "../runs/store.ts";
import { lstmReportSection } from "./lstm_section.ts";

Deno.test("the Table 4 section lists every row with its references, verdict and figure", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  const base = 7;
  TABLE4_ROWS.forEach((row, i) => {
    for (const spec of table4Specs(row, "quick", base)) {
      // Row 2-2 reproduces; the others sit at copy-input level.
      store.write(spec, syntheticRun(i === 0 ? 0.8 : 0.5, { copyInput: 0.5 }));
    }
  });
  const outDir = Deno.makeTempDirSync();
  const markdown = await lstmReportSection(outDir, { scale: "quick", seedBase: base, store });
  const rows = markdown.split("\n").filter((line) => /^\| \d \| \d \|/.test(line));
  assert.equal(rows.length, 7);
  assert.match(
    rows[0],
    /^\| 2 \| 2 \| 0.79 \(8\) \| 0.80 \| 0.80..0.80 \| 3\/3 \| 0.20 \| 0.50 \| 0.90 \|/,
  );
  assert.match(rows[0], /\| \*\*reproduced\*\* \(test expects: not reproduced\) \|$/);
  // 0.50 over three runs: a CI wholly below 0.81 - 0.15, and no better than copying the input.
  assert.match(rows[1], /\| \*\*contradicted\*\* \(test expects: not reproduced\) \|$/);
  assert.match(markdown, /\*\*1 of 7\*\* rows reproduced/);
  assert.match(markdown, /!\[.*\]\(lstm_imagination.png\)/);
  const png = Deno.readFileSync(`${outDir}/lstm_imagination.png`);
  assert.deepEqual(Array.from(png.subarray(1, 4)), [80, 78, 71]); // "PNG"
});
