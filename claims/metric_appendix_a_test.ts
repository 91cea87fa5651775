/**
 * Appendix A of the paper: the metric on hand-built examples (Figures 3-6) gives 0.5, 0.75,
 * 1.0 and 1.5.
 */
import assert from "node:assert/strict";
import { lifeStep } from "../lib/gol/life.ts";
import { sequenceMetric } from "../lib/metric/imagination.ts";

interface AppendixCase {
  name: string;
  explanation: string;
  expected: number;
  gol: number[][][];
  generated: number[][][];
  trainedIndices: number[];
}

const { cases } = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/appendix_a.json", import.meta.url)),
) as { cases: AppendixCase[] };

Deno.test("the Appendix A fixtures are the paper's four figures", () => {
  assert.deepEqual(cases.map((c) => c.expected), [0.5, 0.75, 1.0, 1.5]);
});

for (const example of cases) {
  Deno.test(`Appendix A, ${example.name}: the metric is ${example.expected}`, () => {
    const flat = (boards: number[][][]) => boards.map((board) => board.flat());
    const gol = flat(example.gol);
    const rows = example.gol[0].length, cols = example.gol[0][0].length;
    for (let t = 1; t < gol.length; t++) {
      assert.deepEqual(
        Array.from(lifeStep(Uint8Array.from(gol[t - 1]), { rows, cols })),
        gol[t],
        `${example.name}: true state ${t + 1} is one GoL step after state ${t}`,
      );
    }
    const score = sequenceMetric(gol, flat(example.generated), {
      trainedIndices: example.trainedIndices,
    });
    assert.equal(score, example.expected, `${example.name}: ${example.explanation}`);
  });
}
