/**
 * `deno task bench:gol [--json] [--count N] [--size S] [--steps T] [--repeats R]`: Game of
 * Life sequences per second with the reference's chaining (default 20x20 boards, 4 GoL
 * steps, median of 5 repeats).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { generateSequences } from "../gol/life.ts";
import { integerFlag } from "./args.ts";
import { runMain } from "./main.ts";

const HELP = `usage: deno task bench:gol [--json] [--count N] [--size S] [--steps T] [--repeats R]

Game of Life sequences per second (median of R repeats of N sequences on SxS boards, T steps).`;

function main(): void {
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
  const count = integerFlag("count", values.count);
  const size = integerFlag("size", values.size, { min: 3, max: 1024 });
  const steps = integerFlag("steps", values.steps, { min: 1, max: 64 });
  const repeats = integerFlag("repeats", values.repeats, { min: 1, max: 1000 });
  const options = { count, rows: size, cols: size, golTimesteps: steps };
  generateSequences({ ...options, count: Math.min(count, 10000) }, 0); // warm-up (JIT)
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
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
      `${Math.round(median)} sequences/s (${size}x${size}, ${steps} steps, median of ${repeats})`,
    );
  }
}

await runMain(main, { help: HELP });
