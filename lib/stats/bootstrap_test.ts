import assert from "node:assert/strict";
import fc from "fast-check";
import { bootstrap, bootstrapDifference, mean } from "./bootstrap.ts";
import { createRng } from "./rng.ts";

Deno.test("the bootstrap interval contains the sample mean and lies within the data's range", () => {
  fc.assert(fc.property(
    fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 30 }),
    fc.integer(),
    (values, seed) => {
      const ci = bootstrap(values, { seed, resamples: 500 });
      const tolerance = 1e-9;
      assert.ok(ci.low <= ci.value + tolerance && ci.value <= ci.high + tolerance);
      assert.ok(
        ci.low >= Math.min(...values) - tolerance && ci.high <= Math.max(...values) + tolerance,
      );
    },
  ));
});

Deno.test("the 95% interval of a normal sample's mean covers the true mean about 95% of the time", () => {
  const rng = createRng(3);
  let covered = 0;
  const trials = 400;
  for (let trial = 0; trial < trials; trial++) {
    const sample = Array.from({ length: 30 }, () => 1 + rng.normal());
    const ci = bootstrap(sample, { seed: trial, resamples: 1000 });
    if (ci.low <= 1 && 1 <= ci.high) covered++;
  }
  assert.ok(covered / trials > 0.9 && covered / trials < 0.98, `coverage ${covered / trials}`);
});

Deno.test("the difference interval is seeded and excludes 0 for clearly separated samples", () => {
  const a = [0.9, 0.95, 0.97, 0.99, 0.92], b = [0.5, 0.55, 0.6, 0.4, 0.52];
  const ci = bootstrapDifference(a, b, { seed: 5 });
  assert.deepEqual(ci, bootstrapDifference(a, b, { seed: 5 }));
  assert.ok(ci.low > 0);
  assert.ok(Math.abs(ci.value - (mean(a) - mean(b))) < 1e-12);
  assert.ok(bootstrapDifference([1, 0, 1, 0], [0, 1, 0, 1], { seed: 1 }).low < 0);
});
