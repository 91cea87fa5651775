import assert from "node:assert/strict";
import fc from "fast-check";
import type { RunSpec } from "../runs/store.ts";
import { specHash } from "../runs/store.ts";
import { completionOrder, runCost } from "./schedule.ts";

const gol = (timesteps: number, seed: number): RunSpec => ({
  kind: "gol",
  config: { model: { modelTimesteps: timesteps } },
  seed,
  scale: "quick",
});
const other = (seed: number): RunSpec => ({ kind: "lstm", config: {}, seed, scale: "quick" });

Deno.test("completion order: the claim with the fewest runs left first, shared runs once", () => {
  const t3 = [1, 2, 3].map((seed) => gol(3, seed));
  const t4 = [4, 5, 6].map((seed) => gol(4, seed));
  const noRnn = [7, 8, 9].map((seed) => gol(3, seed));
  const lstm = [10, 11].map(other);
  const claims = [
    [...t3, ...t4], // a trend over two groups: 3 left once t3 is done
    t4,
    [...t3, ...noRnn], // shares t3
    lstm,
    t3,
  ];
  // t3's first run is recorded: 2 left.
  const recorded = new Set([specHash(t3[0])]);
  const order = completionOrder(claims, (spec) => recorded.has(specHash(spec)));
  assert.deepEqual(order.map((spec) => spec.seed), [
    10,
    11, // lstm: 2 left, cost 2 (ties t3's 2 left, cost 6)
    2,
    3, // t3
    7,
    8,
    9, // 3 left each for the trend (t4), t4 and noRnn: noRnn costs 9, t4 12
    4,
    5,
    6,
  ]);
});

Deno.test("completion order: every missing run exactly once, no recorded run, whatever the claims", () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 12 }), { maxLength: 8 }),
      fc.array(fc.integer({ min: 0, max: 20 })),
      fc.integer({ min: 2, max: 5 }),
      (claims, recordedSeeds, timesteps) => {
        const specs = claims.map((seeds) => seeds.map((seed) => gol(timesteps + (seed % 2), seed)));
        const recorded = new Set(recordedSeeds);
        const order = completionOrder(specs, (spec) => recorded.has(spec.seed));
        const expected = new Set(specs.flat().filter((s) => !recorded.has(s.seed)).map(specHash));
        const hashes = order.map(specHash);
        assert.equal(new Set(hashes).size, hashes.length, "listed once");
        assert.deepEqual(new Set(hashes), expected);
        // The first claim completed is one with the fewest runs left: its runs come first.
        const left = specs.map((list) =>
          new Set(list.filter((s) => !recorded.has(s.seed)).map(specHash))
        ).filter((set) => set.size > 0);
        if (left.length === 0) return;
        const fewest = Math.min(...left.map((set) => set.size));
        const head = new Set(hashes.slice(0, fewest));
        assert.ok(
          left.some((set) => set.size === fewest && [...set].every((hash) => head.has(hash))),
          "a claim with the fewest runs left is completed first",
        );
      },
    ),
    { seed: 20240530, numRuns: 300 },
  );
});

Deno.test("run cost: model timesteps of a Game of Life run, 1 otherwise", () => {
  assert.equal(runCost(gol(4, 1)), 4);
  assert.equal(runCost(other(1)), 1);
  assert.equal(runCost({ kind: "gol", config: {}, seed: 1, scale: "quick" }), 1);
});
