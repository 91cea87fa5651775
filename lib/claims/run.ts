/**
 * Measuring claims: get the runs of a claim's groups from the run store (training what is
 * missing, in parallel workers) and apply the claim's statistic and pass rule.
 *
 * @module
 */
import { ensureRuns } from "../runs/pool.ts";
import type { TrainResult } from "../train/train.ts";
import { type Claim, CLAIMS, type Expectation, type Measurement } from "./claims.ts";
import { currentScale, GROUPS, groupSpecs, type Scale, seedBase } from "./groups.ts";

/** A measured claim. */
export interface ClaimOutcome {
  /** The claim. */
  claim: Claim;
  /** Scale measured at. */
  scale: Scale;
  /** Seed base of the runs. */
  seedBase: number;
  /** The measurement. */
  measurement: Measurement;
  /** The expectation at this scale. */
  expectation: Expectation;
  /** Whether the measurement meets the expectation (what the test asserts). */
  asExpected: boolean;
  /** Runs per group, with results. */
  runs: Record<string, TrainResult[]>;
  /** Wall seconds of the runs' training (summed over runs). */
  trainingSeconds: number;
}

/**
 * Looks a claim up by id.
 *
 * @example
 * ```ts
 * const claim = claimById("autoencoder-helps");
 * ```
 */
export function claimById(id: string): Claim {
  const claim = CLAIMS.find((c) => c.id === id);
  if (!claim) {
    throw new Error(`claim "${id}": expected one of ${CLAIMS.map((c) => c.id).join(", ")}`);
  }
  return claim;
}

/**
 * Measures a claim at the current scale and seed base (or the given ones).
 *
 * @example
 * ```ts
 * const outcome = await measureClaim(claimById("learning-order"));
 * ```
 */
export async function measureClaim(
  claim: Claim,
  options: { scale?: Scale; seedBase?: number; quiet?: boolean } = {},
): Promise<ClaimOutcome> {
  const scale = options.scale ?? currentScale();
  const base = options.seedBase ?? seedBase();
  // One pool for all the claim's groups keeps both workers busy.
  const specs = claim.groups.map((id) => groupSpecs(GROUPS[id], scale, base));
  const stored = await ensureRuns<TrainResult>(specs.flat(), {
    label: claim.id,
    quiet: options.quiet,
  });
  const runs: Record<string, TrainResult[]> = {};
  let offset = 0;
  claim.groups.forEach((id, i) => {
    runs[id] = stored.slice(offset, offset + specs[i].length).map((run) => run.result);
    offset += specs[i].length;
  });
  const trainingSeconds = Object.values(runs).flat().reduce((sum, r) => sum + r.seconds.total, 0);
  const measurement = claim.measure(runs, scale);
  const expectation = claim.expectations[scale];
  const asExpected = expectation.expect === "reproduces"
    ? measurement.passed
    : expectation.expect === "not contradicted"
    ? !measurement.contradicted
    : !measurement.passed;
  return {
    claim,
    scale,
    seedBase: base,
    measurement,
    expectation,
    asExpected,
    runs,
    trainingSeconds,
  };
}

/**
 * The verdict in words: reproduced (the rule holds), contradicted (its opposite holds), or
 * inconclusive (the confidence interval allows both).
 *
 * @example
 * ```ts
 * verdictOf(outcome.measurement); // "reproduced"
 * ```
 */
export function verdictOf(
  measurement: Pick<Measurement, "passed" | "contradicted">,
): "reproduced" | "contradicted" | "inconclusive" {
  if (measurement.passed) return "reproduced";
  return measurement.contradicted ? "contradicted" : "inconclusive";
}

/**
 * One line describing an outcome, for test output and failures.
 *
 * @example
 * ```ts
 * console.log(describeOutcome(outcome));
 * ```
 */
export function describeOutcome(outcome: ClaimOutcome): string {
  const { estimate } = outcome.measurement;
  return `${outcome.claim.id} [${outcome.scale} scale, IMAGINATION_SEED_BASE=${outcome.seedBase}]: ` +
    `${estimate.value.toFixed(3)} (95% CI ${estimate.low.toFixed(3)}..${
      estimate.high.toFixed(3)
    }, ${estimate.n} runs); ` +
    `paper: ${outcome.claim.paper}; rule: ${outcome.expectation.rule} -> ${
      verdictOf(outcome.measurement)
    }; ` +
    `expected: ${outcome.expectation.expect}`;
}
