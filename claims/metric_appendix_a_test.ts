/**
 * Appendix A of the paper: the metric on hand-built examples (Figures 3-6) gives 0.5, 0.75,
 * 1.0 and 1.5; and the disputed cases (repeated true states, all-dead boards, exactly 95%, no
 * autoencoder) give their hand-derived scores under every metric variant.
 */
import assert from "node:assert/strict";
import { lifeStep } from "../lib/gol/life.ts";
import { METRIC_VARIANTS, type MetricVariant, sequenceMetric } from "../lib/metric/imagination.ts";

interface AppendixCase {
  name: string;
  explanation: string;
  expected: Record<MetricVariant, number | null>;
  gol: number[][][];
  generated: number[][][];
  trainedIndices: number[];
}

const { cases } = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/appendix_a.json", import.meta.url)),
) as { cases: AppendixCase[] };

Deno.test("the Appendix A fixtures start with the paper's four figures", () => {
  const figures = cases.slice(0, 4);
  assert.deepEqual(figures.map((c) => c.name), ["figure 3", "figure 4", "figure 5", "figure 6"]);
  assert.deepEqual(figures.map((c) => c.expected.match), [0.5, 0.75, 1.0, 1.5]);
});

for (const example of cases) {
  Deno.test(`Appendix A, ${example.name}: ${example.explanation}`, () => {
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
    for (const variant of METRIC_VARIANTS) {
      const expected = example.expected[variant];
      if (expected === null) continue;
      const score = sequenceMetric(gol, flat(example.generated), {
        trainedIndices: example.trainedIndices,
        variant,
      });
      console.log(`${example.name}, ${variant}: ${score} (expected ${expected})`);
      assert.ok(
        Math.abs(score - expected) < 1e-12,
        `${example.name}, ${variant}: ${score}, expected ${expected}`,
      );
    }
  });
}
