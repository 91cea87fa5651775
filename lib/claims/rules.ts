/**
 * The pass rules every claim uses, as pure functions of run-level values. Each rule checks, in
 * this order: enough runs under the inclusion rule, no trivial decoder that passes too, enough
 * power for the paper's effect (comparisons only), then the interval against the paper.
 * Intervals are Student t (Welch for differences) or exact (Clopper-Pearson for the sign
 * test), whose coverage at these run counts `lib/stats/intervals_test.ts` checks by simulation.
 *
 * @module
 */
import {
  differenceInterval,
  type Interval,
  meanInterval,
  proportionInterval,
  runsToDetect,
} from "../stats/intervals.ts";
import type { Measurement, UntestedReason } from "./protocol.ts";

/** Rule constants of a scale, fixed in its pre-registration file. */
export interface RuleSettings {
  /** Confidence level of every interval. */
  level: number;
  /** Fewest included runs per group that any claim is tested on. */
  minIncludedRuns: number;
}

/** The parts of a measurement a rule decides. */
export type RuleOutcome = Pick<Measurement, "verdict" | "reason" | "estimate" | "rule">;

const f2 = (value: number) => value.toFixed(2);
const percent = (level: number) => `${Math.round(level * 100)}%`;

/** Reproduced when the interval lies wholly above `threshold`, contradicted when wholly below. */
function sideOf(estimate: Interval, threshold: number): RuleOutcome["verdict"] {
  return estimate.low > threshold
    ? "reproduced"
    : estimate.high < threshold
    ? "contradicted"
    : "inconclusive";
}

function untested(
  kind: UntestedReason,
  text: string,
  estimate: Interval,
  rule: string,
): RuleOutcome {
  return { verdict: "untested", reason: { kind, text }, estimate, rule };
}

/**
 * A direction claim's verdict (an effect above 0): untested when the minimum detectable effect
 * at this n exceeds the paper's effect, else by the interval's position against 0. `needed`
 * (runs, per group for a difference) only describes what would give the power.
 */
function directionOutcome(
  estimate: Interval,
  paperEffect: number,
  runCounts: string,
  needed: { runs: number; unit: string },
  rule: string,
): RuleOutcome {
  if (!(estimate.mde <= paperEffect)) {
    const plan = Number.isFinite(needed.runs)
      ? `; at the observed spread, about ${needed.runs} ${needed.unit} would reach it`
      : "";
    return untested(
      "power",
      `minimum detectable effect ${f2(estimate.mde)} at n = ${runCounts} exceeds the paper's ${
        f2(paperEffect)
      }${plan}`,
      estimate,
      rule,
    );
  }
  return { verdict: sideOf(estimate, 0), estimate, rule };
}

/**
 * The inclusion gate: a reason when fewer than the minimum of runs count in some group;
 * `counted` says what made a run count (default "converged").
 *
 * @example
 * ```ts
 * convergenceGate([{ included: 0, total: 4 }], 3); // "0 of 4 runs converged (at least 3 needed)"
 * ```
 */
export function convergenceGate(
  groups: readonly { included: number; total: number; label?: string }[],
  minimum: number,
  counted = "converged",
): string | null {
  const short = groups.filter((g) => g.included < minimum);
  if (short.length === 0) return null;
  return short.map((g) =>
    `${g.label ? `${g.label}: ` : ""}${g.included} of ${g.total} runs ${counted}`
  ).join("; ") + ` (at least ${minimum} needed)`;
}

/**
 * A mean claim ("the metric is about v"): reproduced when the interval of the mean lies
 * within v +- tolerance, contradicted when it lies wholly outside, else inconclusive. Untested
 * when too few runs count, or when the best trivial decoder scores at least v - tolerance on
 * the same data (it would pass too).
 *
 * @example
 * ```ts
 * meanRule([1, 1, 0.98], { paperValue: 1, tolerance: 0.1, trivial: 0.33, total: 3 }, settings).verdict; // "reproduced"
 * ```
 */
export function meanRule(
  values: readonly number[],
  claim: { paperValue: number; tolerance: number; trivial: number; total: number },
  settings: RuleSettings,
): RuleOutcome {
  const { paperValue, tolerance, trivial } = claim;
  const low = paperValue - tolerance, high = paperValue + tolerance;
  const estimate = meanInterval(values, { level: settings.level });
  const rule = `${percent(settings.level)} CI of the mean within ${f2(low)}..${
    f2(high)
  } (paper ${paperValue} +- ${tolerance}); best trivial decoder below ${f2(low)}`;
  const gate = convergenceGate(
    [{ included: values.length, total: claim.total }],
    settings.minIncludedRuns,
  );
  if (gate) return untested("convergence", gate, estimate, rule);
  if (trivial >= low) {
    return untested(
      "trivial",
      `a trivial decoder scores ${
        f2(trivial)
      } on the same data, within reach of the paper's ${paperValue}`,
      estimate,
      rule,
    );
  }
  const verdict = estimate.low >= low && estimate.high <= high
    ? "reproduced"
    : estimate.high < low || estimate.low > high
    ? "contradicted"
    : "inconclusive";
  return { verdict, estimate, rule };
}

/**
 * A comparison claim ("A beats B by about d > 0"): the Welch interval of mean(A) - mean(B).
 * Reproduced when its lower end is above 0, contradicted when its upper end is below 0, else
 * inconclusive. Untested when too few runs count on either side, when a trivial decoder shows
 * a difference as large as the paper's on the same data, or when the minimum detectable
 * effect at these run counts exceeds the paper's effect.
 *
 * @example
 * ```ts
 * differenceRule(a, b, { paperEffect: 0.43, trivialDifference: 0.02, totals: [4, 3], labels: ["t3", "t3NoAutoencoder"] }, settings);
 * ```
 */
export function differenceRule(
  a: readonly number[],
  b: readonly number[],
  claim: {
    paperEffect: number;
    trivialDifference: number;
    totals: [number, number];
    labels: [string, string];
  },
  settings: RuleSettings,
): RuleOutcome {
  const estimate = differenceInterval(a, b, { level: settings.level });
  const rule = `${percent(settings.level)} Welch CI of mean(${claim.labels[0]}) - mean(${
    claim.labels[1]
  }) above 0; minimum detectable effect <= the paper's ${claim.paperEffect}`;
  const gate = convergenceGate([
    { included: a.length, total: claim.totals[0], label: claim.labels[0] },
    { included: b.length, total: claim.totals[1], label: claim.labels[1] },
  ], settings.minIncludedRuns);
  if (gate) return untested("convergence", gate, estimate, rule);
  if (claim.trivialDifference >= claim.paperEffect) {
    return untested(
      "trivial",
      `a trivial decoder differs by ${
        f2(claim.trivialDifference)
      } between the two on the same data`,
      estimate,
      rule,
    );
  }
  const needed = {
    runs: runsToDetect(a, b, claim.paperEffect, { level: settings.level }),
    unit: "runs per group",
  };
  return directionOutcome(estimate, claim.paperEffect, `${a.length}/${b.length}`, needed, rule);
}

/**
 * A paired-gain claim on the same runs (Table 3: adversarial minus fresh decoder). With
 * `helps`, as {@link differenceRule} on the one-sample t interval of the gains. Without
 * (`helps: false`, "does not help"): reproduced when the interval's upper end is below
 * `tolerance`, contradicted when its lower end is above it, else inconclusive.
 *
 * @example
 * ```ts
 * gainRule([0.1, 0.2, 0.15], { helps: true, paperEffect: 0.07, tolerance: 0.1, total: 3 }, settings);
 * ```
 */
export function gainRule(
  gains: readonly number[],
  claim: { helps: boolean; paperEffect: number; tolerance: number; total: number },
  settings: RuleSettings,
): RuleOutcome {
  const estimate = meanInterval(gains, { level: settings.level });
  const rule = claim.helps
    ? `${
      percent(settings.level)
    } CI of the mean gain above 0; minimum detectable effect <= the paper's ${
      f2(claim.paperEffect)
    }`
    : `${
      percent(settings.level)
    } CI of the mean gain below ${claim.tolerance} (no substantial gain)`;
  const gate = convergenceGate(
    [{ included: gains.length, total: claim.total }],
    settings.minIncludedRuns,
  );
  if (gate) return untested("convergence", gate, estimate, rule);
  if (claim.helps) {
    const needed = {
      runs: runsToDetect(gains, null, claim.paperEffect, { level: settings.level }),
      unit: "runs",
    };
    return directionOutcome(estimate, claim.paperEffect, `${gains.length}`, needed, rule);
  }
  const verdict = estimate.high < claim.tolerance
    ? "reproduced"
    : estimate.low > claim.tolerance
    ? "contradicted"
    : "inconclusive";
  return { verdict, estimate, rule };
}

/**
 * A sign claim over runs ("A happens before B"): `outcomes` holds true where it did, false where
 * it did not (ties left out by the caller). Reproduced when the exact interval of the share is
 * above 1/2, contradicted when below, else inconclusive; untested below `minRuns`, the fewest
 * runs with which an exact two-sided test at this level can reach a verdict.
 *
 * @example
 * ```ts
 * signRule([true, true, true, true, true, true], { minRuns: 6, total: 6 }, settings).verdict; // "reproduced"
 * ```
 */
export function signRule(
  outcomes: readonly boolean[],
  claim: { minRuns: number; total: number; counted?: string },
  settings: RuleSettings,
): RuleOutcome {
  const successes = outcomes.filter(Boolean).length;
  const estimate = proportionInterval(successes, outcomes.length, { level: settings.level });
  const rule = `exact ${percent(settings.level)} CI of the share of runs above 1/2 (sign test)`;
  const gate = convergenceGate(
    [{ included: outcomes.length, total: claim.total }],
    settings.minIncludedRuns,
    claim.counted,
  );
  if (gate) return untested("convergence", gate, estimate, rule);
  if (outcomes.length < claim.minRuns) {
    return untested(
      "power",
      `${outcomes.length} runs count; an exact two-sided sign test at ${
        percent(settings.level)
      } needs at least ${claim.minRuns}`,
      estimate,
      rule,
    );
  }
  return { verdict: sideOf(estimate, 0.5), estimate, rule };
}
