import assert from "node:assert/strict";
import { detectableNoncentrality, studentTQuantile } from "./distributions.ts";
import {
  differenceInterval,
  type Interval,
  meanInterval,
  proportionInterval,
  runsToDetect,
} from "./intervals.ts";
import { createRng, type Rng } from "./rng.ts";

const TRIALS = 20_000;
/** Binomial standard error of a rate near 95% over TRIALS trials: 0.0015. */
const COVERAGE_ERROR = Math.sqrt(0.95 * 0.05 / TRIALS);

/** A distribution to draw run metrics from, with its true mean. */
interface Population {
  name: string;
  mean: number;
  draw(rng: Rng): number;
}

function normal(mean: number, sd: number): Population {
  return { name: `normal(${mean}, ${sd})`, mean, draw: (rng) => mean + sd * rng.normal() };
}

/** exp(sigma Z) times scale; skewness (e^s2 + 2) sqrt(e^s2 - 1) with s2 = sigma^2. */
function lognormal(sigma: number, scale = 1): Population {
  const skewness = (Math.exp(sigma ** 2) + 2) * Math.sqrt(Math.exp(sigma ** 2) - 1);
  return {
    name: `${scale} x lognormal(sigma ${sigma}, skewness ${skewness.toFixed(2)})`,
    mean: scale * Math.exp(sigma ** 2 / 2),
    draw: (rng) => scale * Math.exp(sigma * rng.normal()),
  };
}

const EXPONENTIAL: Population = {
  name: "exponential(1) (skewness 2)",
  mean: 1,
  draw: (rng) => -Math.log(1 - rng.next()),
};

function sample(population: Population, n: number, rng: Rng): number[] {
  return Array.from({ length: n }, () => population.draw(rng));
}

/** Fractions of trials whose interval covers `truth` and whose low end lies above it. */
function simulate(
  trials: number,
  seed: number,
  interval: (rng: Rng) => Interval,
  truth: number,
): { coverage: number; lowAbove: number } {
  const rng = createRng(seed);
  let covered = 0, lowAbove = 0;
  for (let trial = 0; trial < trials; trial++) {
    const { low, high } = interval(rng);
    if (low <= truth && truth <= high) covered++;
    if (low > truth) lowAbove++;
  }
  return { coverage: covered / trials, lowAbove: lowAbove / trials };
}

function assertKeepsPromise(coverage: number, label: string) {
  console.log(`${label}: coverage of nominal 95% = ${(100 * coverage).toFixed(2)}%`);
  assert.ok(coverage >= 0.93 && coverage <= 0.97, `${label}: coverage ${coverage}`);
}

Deno.test("inputs outside the domain are rejected with one line", () => {
  assert.throws(
    () => meanInterval([1, 2], { level: 1 }),
    /^Error: level 1: expected a number in \(0, 1\)$/,
  );
  assert.throws(() => meanInterval([1, NaN, 3]), /values\[1\] NaN: expected finite numbers/);
  assert.throws(() => differenceInterval([1, 2], [0, Infinity]), /b\[1\] Infinity/);
  assert.throws(() => proportionInterval(11, 10), /successes 11 > trials 10/);
  assert.throws(() => proportionInterval(1.5, 10), /successes 1.5: expected an integer >= 0/);
  assert.throws(() => proportionInterval(0, 10, { level: 0 }), /level 0/);
});

Deno.test("the t intervals match scipy 1.17.1 (one-sample t and Welch)", () => {
  // scipy.stats.ttest_1samp([1, 2, 3], 0).confidence_interval()
  const one = meanInterval([1, 2, 3]);
  assert.ok(Math.abs(one.low - -0.4841377117503298) < 1e-9, `${one.low}`);
  assert.ok(Math.abs(one.high - 4.48413771175033) < 1e-9, `${one.high}`);
  assert.deepEqual([one.value, one.n, one.level, one.method], [2, 3, 0.95, "t"]);
  // scipy.stats.ttest_ind([1, 2, 3, 4], [2, 4, 6], equal_var=False): df 3.2347
  const two = differenceInterval([1, 2, 3, 4], [2, 4, 6]);
  assert.ok(Math.abs(two.low - -5.542327954923024) < 1e-9, `${two.low}`);
  assert.ok(Math.abs(two.high - 2.5423279549230244) < 1e-9, `${two.high}`);
  assert.deepEqual([two.value, two.n, two.method], [-1.5, 3, "Welch t"]);
});

Deno.test("the MDE is the noncentral-t multiplier times the observed standard error", () => {
  const values = [0.2, 0.5, 0.3, 0.6, 0.4];
  const ci = meanInterval(values, { level: 0.9 });
  const standardError = Math.sqrt(0.025 / 5);
  const multiplier = detectableNoncentrality(4, { level: 0.9, power: 0.8 });
  assert.ok(Math.abs(ci.mde - multiplier * standardError) < 1e-12);
  assert.ok(Math.abs(ci.high - ci.value - studentTQuantile(0.95, 4) * standardError) < 1e-12);
});

/** n values with exactly the sample variance of `values` (a fixed spread pattern, rescaled). */
function withVariance(values: readonly number[], n: number): number[] {
  const center = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - center) ** 2, 0) / (values.length - 1);
  const pattern = Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) + (i % 3));
  const m = pattern.reduce((a, b) => a + b, 0) / n;
  const v = pattern.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1);
  return pattern.map((x) => center + (x - m) * Math.sqrt(variance / v));
}

Deno.test("runsToDetect is the fewest equal runs whose MDE reaches the effect", () => {
  const a = [1, 1, 0.98, 0.61, 1, 0.99, 1, 0.7, 1, 1, 0.95, 1];
  const b = [0.9, 1, 0.45, 1, 0.99, 1, 0.8, 1, 1, 0.97, 1, 0.98];
  for (const effect of [0.3, 0.09, 0.2]) {
    const n = runsToDetect(a, b, effect);
    assert.ok(n > 2, `effect ${effect}: ${n}`);
    const at = (k: number) => differenceInterval(withVariance(a, k), withVariance(b, k)).mde;
    assert.ok(at(n) <= effect + 1e-12, `effect ${effect}: MDE ${at(n)} at n = ${n}`);
    assert.ok(at(n - 1) > effect, `effect ${effect}: MDE ${at(n - 1)} at n = ${n - 1}`);
    const one = runsToDetect(a, null, effect);
    assert.ok(meanInterval(withVariance(a, one)).mde <= effect + 1e-12);
    assert.ok(meanInterval(withVariance(a, one - 1)).mde > effect);
  }
  assert.ok(runsToDetect(a, b, 0.09) > runsToDetect(a, b, 0.3));
  assert.ok(Number.isNaN(runsToDetect([1], b, 0.1)));
  assert.ok(Number.isNaN(runsToDetect(a, b, 0)));
  assert.equal(runsToDetect([1, 1, 1], [0, 0, 0], 0.1), 2);
});

Deno.test("zero variance collapses the interval to the value with MDE 0; n < 2 gives NaN", () => {
  assert.deepEqual(meanInterval([0.9, 0.9, 0.9]), {
    value: 0.9,
    low: 0.9,
    high: 0.9,
    n: 3,
    level: 0.95,
    method: "t",
    mde: 0,
  });
  const flat = differenceInterval([1, 1], [0, 0, 0]);
  assert.deepEqual([flat.value, flat.low, flat.high, flat.mde, flat.n], [1, 1, 1, 0, 2]);
  // One flat side: the spread of the other carries the interval, with its df.
  const oneSided = differenceInterval([1, 2, 3], [0, 0, 0]);
  const expected = meanInterval([1, 2, 3]);
  assert.ok(Math.abs(oneSided.low - expected.low) < 1e-12);
  const single = meanInterval([0.7]);
  assert.ok(single.value === 0.7 && Number.isNaN(single.low) && Number.isNaN(single.mde));
  const short = differenceInterval([0.7, 0.8], [0.1]);
  assert.ok(Math.abs(short.value - 0.65) < 1e-12 && Number.isNaN(short.high) && short.n === 1);
  assert.ok(Number.isNaN(meanInterval([]).value));
});

Deno.test("the t interval of the mean covers 93-97% at n = 3 on normal and lognormal data", () => {
  // Lognormal sigma 0.25: SD about a quarter of the mean, skewness 0.78.
  for (const [seed, population] of [normal(0.7, 0.1), lognormal(0.25)].entries()) {
    const { coverage } = simulate(
      TRIALS,
      seed,
      (rng) => meanInterval(sample(population, 3, rng)),
      population.mean,
    );
    assertKeepsPromise(coverage, `mean of 3 from ${population.name}`);
  }
});

Deno.test("the t interval of the mean does not keep its promise at n = 3 on exponential data", () => {
  const { coverage } = simulate(
    TRIALS,
    11,
    (rng) => meanInterval(sample(EXPONENTIAL, 3, rng)),
    EXPONENTIAL.mean,
  );
  console.log(`mean of 3 from ${EXPONENTIAL.name}: coverage ${(100 * coverage).toFixed(2)}%`);
  // Measured 88-89%; asserted so that the module doc's warning stays true.
  assert.ok(coverage < 0.93 - 4 * COVERAGE_ERROR, `coverage ${coverage}`);
});

Deno.test("the Welch interval covers 93-97% at n = 3 per side, equal and unequal spreads", () => {
  const cases: [string, Population, Population][] = [
    ["equal SDs", normal(0.8, 0.1), normal(0.6, 0.1)],
    ["SDs 0.3 and 0.1", normal(0.8, 0.3), normal(0.6, 0.1)],
    ["lognormal, scales 3 and 1", lognormal(0.25, 3), lognormal(0.25)],
  ];
  for (const [seed, [label, a, b]] of cases.entries()) {
    const { coverage } = simulate(
      TRIALS,
      20 + seed,
      (rng) => differenceInterval(sample(a, 3, rng), sample(b, 3, rng)),
      a.mean - b.mean,
    );
    assertKeepsPromise(coverage, `difference of 3 and 3, ${label}`);
  }
});

Deno.test("with no true effect, low > 0 fires 2.5% of the time, and at most that for Welch", () => {
  const tolerance = 4 * Math.sqrt(0.025 * 0.975 / TRIALS);
  const mean = simulate(TRIALS, 30, (rng) => meanInterval(sample(normal(0, 1), 3, rng)), 0);
  console.log(`mean of 3, no effect: low > 0 in ${(100 * mean.lowAbove).toFixed(2)}%`);
  assert.ok(Math.abs(mean.lowAbove - 0.025) < tolerance, `${mean.lowAbove}`);
  // Unequal spreads are Welch's hard case; with equal spreads at n = 3 it is conservative.
  const difference = simulate(
    TRIALS,
    31,
    (rng) => differenceInterval(sample(normal(0, 3), 3, rng), sample(normal(0, 1), 3, rng)),
    0,
  );
  console.log(
    `difference of 3 and 3 (SDs 3 and 1), no effect: low > 0 in ` +
      `${(100 * difference.lowAbove).toFixed(2)}%`,
  );
  assert.ok(difference.lowAbove < 0.025 + tolerance, `${difference.lowAbove}`);
});

Deno.test("a true mean equal to the MDE from the true SD is detected 80% of the time at n = 5", () => {
  const sd = 0.1, n = 5;
  const mde = detectableNoncentrality(n - 1, { level: 0.95, power: 0.8 }) * sd / Math.sqrt(n);
  const { lowAbove } = simulate(
    TRIALS,
    40,
    (rng) => meanInterval(sample(normal(mde, sd), n, rng)),
    0,
  );
  console.log(
    `true mean = MDE ${mde.toFixed(4)} at n = 5: detected ${(100 * lowAbove).toFixed(2)}%`,
  );
  // 4 binomial standard errors (0.0028 each). The normal approximation's MDE (2.80 SD /
  // sqrt(n)) has 56% power here and fails; the approximation t_crit + t_power (79.1%, scipy
  // nct) is too close to tell apart, which distributions_test checks against scipy instead.
  const tolerance = 4 * Math.sqrt(0.8 * 0.2 / TRIALS);
  assert.ok(Math.abs(lowAbove - 0.8) < tolerance, `${lowAbove}`);
});

Deno.test("Clopper-Pearson matches known values", () => {
  const none = proportionInterval(0, 10);
  assert.ok(none.low === 0 && Math.abs(none.high - 0.3084971078187608) < 1e-12);
  assert.ok(Number.isNaN(none.mde) && none.method === "Clopper-Pearson" && none.n === 10);
  const all = proportionInterval(10, 10);
  assert.ok(all.high === 1 && Math.abs(all.low - (1 - none.high)) < 1e-12);
  // scipy.stats.beta.ppf: 3 of 40 at 95% and 7 of 20 at 90%
  const three = proportionInterval(3, 40);
  assert.ok(Math.abs(three.low - 0.01574217985104153) < 1e-12);
  assert.ok(Math.abs(three.high - 0.20386474873289895) < 1e-12);
  const seven = proportionInterval(7, 20, { level: 0.9 });
  assert.ok(Math.abs(seven.low - 0.17731091757444914) < 1e-12);
  assert.ok(Math.abs(seven.high - 0.5580345113154888) < 1e-12);
  assert.ok(Number.isNaN(proportionInterval(0, 0).value));
});

Deno.test("Clopper-Pearson covers at least 95% at every (p, n) tried, computed exactly", () => {
  for (const trials of [3, 10, 40]) {
    const intervals = Array.from({ length: trials + 1 }, (_, k) => proportionInterval(k, trials));
    for (const p of [0.01, 0.1, 0.3, 0.5, 0.77, 0.95]) {
      let coverage = 0, binomial = (1 - p) ** trials;
      for (let k = 0; k <= trials; k++) {
        if (intervals[k].low <= p && p <= intervals[k].high) coverage += binomial;
        binomial *= (trials - k) / (k + 1) * p / (1 - p);
      }
      assert.ok(coverage >= 0.95, `p ${p}, n ${trials}: coverage ${coverage}`);
    }
  }
});
