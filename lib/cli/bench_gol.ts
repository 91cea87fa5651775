/**
 * `deno task bench:gol [--json] [--count N] [--size S] [--steps T]`: Game of Life sequences
 * per second with the reference's chaining (default 20x20 boards, 4 GoL steps).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { generateSequences } from "../gol/life.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    json: { type: "boolean", default: false },
    count: { type: "string", default: "200000" },
    size: { type: "string", default: "20" },
    steps: { type: "string", default: "4" },
    repeats: { type: "string", default: "5" },
  },
});
const count = Number(values.count), size = Number(values.size), steps = Number(values.steps);
const options = { count, rows: size, cols: size, golTimesteps: steps };
generateSequences({ ...options, count: Math.min(count, 10000) }, 0); // warm-up (JIT)
const rates: number[] = [];
for (let r = 0; r < Number(values.repeats); r++) {
  const start = performance.now();
  generateSequences(options, r + 1);
  rates.push(count / ((performance.now() - start) / 1000));
}
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)];
if (values.json) {
  console.log(JSON.stringify({ bench: "gol", size, steps, count, sequences_per_s: median }));
} else {
  console.log(
    `${
      Math.round(median)
    } sequences/s (${size}x${size}, ${steps} steps, median of ${rates.length})`,
  );
}
