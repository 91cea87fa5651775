import assert from "node:assert/strict";
import fc from "fast-check";
import {
  betaQuantile,
  detectableNoncentrality,
  regularizedBeta,
  studentTCdf,
  studentTQuantile,
} from "./distributions.ts";

function assertClose(actual: number, expected: number, relative: number, label: string) {
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected),
    `${label}: ${actual} vs ${expected}`,
  );
}

Deno.test("t quantiles match the printed table to 1e-8", () => {
  const table: [number, number][] = [[1, 12.7062047], [2, 4.30265273], [4, 2.77644511], [
    30,
    2.04227246,
  ]];
  for (const [df, expected] of table) {
    assertClose(studentTQuantile(0.975, df), expected, 1e-8, `t(0.975, ${df})`);
  }
});

Deno.test("t quantiles match scipy 1.17.1 to 1e-9 relative, non-integer df included", () => {
  // scipy.stats.t.ppf(0.975, df)
  const reference: [number, number][] = [
    [1, 12.706204736174694],
    [2, 4.302652729749462],
    [2.37, 3.7189208397974567],
    [3, 3.1824463052837078],
    [1000, 1.9623390808264083],
    [1e6, 1.959966356814107],
  ];
  for (const [df, expected] of reference) {
    assertClose(studentTQuantile(0.975, df), expected, 1e-9, `t(0.975, ${df})`);
  }
});

Deno.test("at df = 1e6 the t quantile is the normal 1.95996398 plus Hill's 1/df correction", () => {
  const z = 1.959963984540054, df = 1e6;
  const hill = z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
  assertClose(studentTQuantile(0.975, df), hill, 1e-9, "Hill expansion");
  assert.ok(Math.abs(studentTQuantile(0.975, df) - 1.95996398) < 3e-6);
});

Deno.test("the t CDF equals its closed forms at df = 1 (Cauchy) and df = 2", () => {
  fc.assert(fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), (t) => {
    assert.ok(Math.abs(studentTCdf(t, 1) - (0.5 + Math.atan(t) / Math.PI)) < 1e-14);
    assert.ok(Math.abs(studentTCdf(t, 2) - (0.5 + t / (2 * Math.sqrt(2 + t * t)))) < 1e-14);
  }));
});

Deno.test("cdf(quantile(p)) returns p for df in [1, 1e6]", () => {
  fc.assert(fc.property(
    fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }),
    fc.double({ min: 0, max: 6, noNaN: true }),
    (p, logDf) => {
      const df = 10 ** logDf;
      const roundTrip = studentTCdf(studentTQuantile(p, df), df);
      // Relative to the smaller tail, where the information is.
      assert.ok(Math.abs(roundTrip - p) <= 1e-9 * Math.min(p, 1 - p) + 1e-15, `${roundTrip}`);
    },
  ));
});

Deno.test("the t functions reject impossible arguments and saturate at p = 0 and 1", () => {
  assert.throws(() => studentTCdf(1, 0), /df 0: expected a finite number > 0/);
  assert.throws(() => studentTQuantile(0.5, Infinity), /df Infinity/);
  assert.throws(() => studentTQuantile(1.5, 3), /probability 1.5: expected a number in \[0, 1\]/);
  assert.equal(studentTQuantile(0, 3), -Infinity);
  assert.equal(studentTQuantile(1, 3), Infinity);
  assert.equal(studentTQuantile(0.5, 3), 0);
});

Deno.test("the beta quantile inverts the regularized incomplete beta function", () => {
  assert.ok(Math.abs(regularizedBeta(0.5, 2, 2) - 0.5) < 1e-15);
  // I_x(1, b) = 1 - (1 - x)^b
  assertClose(betaQuantile(0.975, 1, 10), 1 - 0.025 ** 0.1, 1e-12, "Beta(1, 10)");
  fc.assert(fc.property(
    fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }),
    fc.double({ min: 0.5, max: 200, noNaN: true }),
    fc.double({ min: 0.5, max: 200, noNaN: true }),
    (p, a, b) => {
      // Exact up to the spacing of doubles near x (coarse near 1, where the slope can reach
      // 1e6) and the function's own rounding (1e-14 relative): x moved 4 ulps either way
      // brackets p.
      const x = betaQuantile(p, a, b), nudge = 4 * Number.EPSILON * x, rounding = 1e-13 * p;
      assert.ok(regularizedBeta(x - nudge, a, b) <= p + rounding);
      assert.ok(p - rounding <= regularizedBeta(x + nudge, a, b));
    },
  ));
});

Deno.test("the detectable noncentrality matches scipy's noncentral t to 1e-5 relative", () => {
  // brentq on scipy.stats.nct.sf(t.ppf(0.975, df), df, d) = 0.8 (scipy 1.17.1)
  const reference: [number, number][] = [
    [1, 16.3340089],
    [1.5, 7.829041],
    [2, 5.6534893],
    [2.37, 4.9208201],
    [4, 3.7610603],
    [10, 3.109971],
    [100, 2.8288507],
    [1e6, 2.8015879],
  ];
  for (const [df, expected] of reference) {
    const actual = detectableNoncentrality(df, { level: 0.95, power: 0.8 });
    assertClose(actual, expected, 1e-5, `df ${df}`);
  }
  assert.throws(() => detectableNoncentrality(0.5, { level: 0.95, power: 0.8 }), /df 0.5/);
});
