import assert from "node:assert/strict";
import { convergenceGate, differenceRule, gainRule, meanRule, signRule } from "./rules.ts";
import { runsToDetect } from "../stats/intervals.ts";

const settings = { level: 0.95, minIncludedRuns: 3 };

Deno.test("mean rule: reproduced, contradicted, inconclusive and untested each happen", () => {
  const claim = { paperValue: 1, tolerance: 0.1, trivial: 0.3, total: 4 };
  assert.equal(meanRule([1, 0.99, 1.01], claim, settings).verdict, "reproduced");
  assert.equal(meanRule([0.5, 0.52, 0.51], claim, settings).verdict, "contradicted");
  assert.equal(meanRule([1.5, 1.52, 1.51], claim, settings).verdict, "contradicted", "two-sided");
  assert.equal(meanRule([0.6, 1, 1.2], claim, settings).verdict, "inconclusive");
  const few = meanRule([1, 1], claim, settings);
  assert.equal(few.verdict, "untested");
  assert.equal(few.reason?.text, "2 of 4 runs converged (at least 3 needed)");
  const trivial = meanRule([1, 1, 1], { ...claim, trivial: 0.95 }, settings);
  assert.equal(trivial.verdict, "untested");
  assert.equal(trivial.reason?.kind, "trivial");
});

Deno.test("difference rule: direction at the stated level, untested when underpowered or trivial", () => {
  const claim = {
    paperEffect: 0.4,
    trivialDifference: 0,
    totals: [4, 4] as [number, number],
    labels: ["a", "b"] as [string, string],
  };
  assert.equal(
    differenceRule([1, 0.98, 0.99], [0.5, 0.55, 0.52], claim, settings).verdict,
    "reproduced",
  );
  assert.equal(
    differenceRule([0.5, 0.55, 0.52], [1, 0.98, 0.99], claim, settings).verdict,
    "contradicted",
  );
  assert.equal(
    differenceRule([1, 0.9, 0.95], [0.95, 0.9, 1], claim, settings).verdict,
    "inconclusive",
  );
  const noisy = differenceRule([1, 0.2, 0.9], [0.1, 0.8, 0.3], claim, settings);
  assert.equal(noisy.verdict, "untested");
  assert.equal(noisy.reason?.kind, "power");
  // The reason says how many runs the observed spread asks for (description only).
  const needed = runsToDetect([1, 0.2, 0.9], [0.1, 0.8, 0.3], 0.4);
  assert.ok(needed > 3);
  assert.match(
    noisy.reason?.text ?? "",
    new RegExp(`at n = 3/3 exceeds the paper's 0.40; .* about ${needed} runs per group would`),
  );
  const trivial = differenceRule(
    [1, 1, 1],
    [0.5, 0.5, 0.5],
    { ...claim, trivialDifference: 0.5 },
    settings,
  );
  assert.equal(trivial.reason?.kind, "trivial");
  assert.equal(differenceRule([1, 1, 1], [0.5], claim, settings).reason?.kind, "convergence");
});

Deno.test("gain rule: 'helps' needs the interval above 0; 'does not help' needs it below the tolerance", () => {
  const helps = { helps: true, paperEffect: 0.3, tolerance: 0.1, total: 3 };
  assert.equal(gainRule([0.3, 0.32, 0.31], helps, settings).verdict, "reproduced");
  assert.equal(gainRule([-0.3, -0.32, -0.31], helps, settings).verdict, "contradicted");
  const none = { ...helps, helps: false };
  assert.equal(gainRule([0.01, -0.02, 0], none, settings).verdict, "reproduced");
  assert.equal(gainRule([0.3, 0.32, 0.31], none, settings).verdict, "contradicted");
  assert.equal(gainRule([-0.2, 0.1, 0.4], none, settings).verdict, "inconclusive");
});

Deno.test("sign rule: six of six is reproduced, none of six contradicted, five runs cannot decide", () => {
  const claim = { minRuns: 6, total: 6 };
  assert.equal(
    signRule([true, true, true, true, true, true], claim, settings).verdict,
    "reproduced",
  );
  assert.equal(
    signRule([false, false, false, false, false, false], claim, settings).verdict,
    "contradicted",
  );
  assert.equal(
    signRule([true, true, true, false, true, false], claim, settings).verdict,
    "inconclusive",
  );
  assert.equal(signRule([true, true, true, true, true], claim, settings).reason?.kind, "power");
});

Deno.test("the convergence gate names every short group", () => {
  assert.equal(convergenceGate([{ included: 3, total: 4 }], 3), null);
  assert.equal(
    convergenceGate([{ included: 0, total: 4, label: "t3" }, {
      included: 1,
      total: 3,
      label: "t4",
    }], 3),
    "t3: 0 of 4 runs converged; t4: 1 of 3 runs converged (at least 3 needed)",
  );
});
