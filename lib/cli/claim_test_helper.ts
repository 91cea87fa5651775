/**
 * The one helper that turns a claim into its Deno test (every claims/*_test.ts is one line):
 * build the context from the environment, measure the claim, print the measurement with the
 * seed base (so a failure can be replayed), and assert the pre-registered expectation.
 *
 * @module
 */
import assert from "node:assert/strict";
import { expectationOf } from "../claims/preregistration.ts";
import {
  type ClaimOutcome,
  evaluateClaims,
  expectationText,
  verdictText,
} from "../claims/protocol.ts";
import { claimById } from "../claims/registry.ts";
import { backendsText } from "../report/report.ts";
import { contextFromEnvironment } from "./context.ts";

const f3 = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : "-");

/**
 * A measured claim in a few lines: statistic with its interval and minimum detectable effect,
 * normalised score, trivial and perfect references, runs, rule, verdict and expectation.
 *
 * @example
 * ```ts
 * console.log(describeOutcome(outcome));
 * ```
 */
export function describeOutcome(outcome: ClaimOutcome): string {
  const { measurement: m, claim } = outcome;
  const e = m.estimate;
  const lines = [
    `${claim.id} [${outcome.scale} scale, IMAGINATION_SEED_BASE=${outcome.seedBase}]: ${
      f3(e.value)
    } ` +
    `(${Math.round(e.level * 100)}% ${e.method} CI ${f3(e.low)}..${f3(e.high)}, n=${e.n}, MDE ${
      f3(e.mde)
    }); ` +
    `runs ${m.runs.included} of ${m.runs.total} counted (${outcome.recorded} recorded, ${outcome.trainedNow} trained now)`,
    `  paper: ${claim.paper}`,
  ];
  if (m.trivial !== undefined) {
    lines.push(
      `  best trivial decoder ${f3(m.trivial)}, perfect ${f3(m.perfect ?? NaN)}, normalised ${
        m.normalised
          ? `${f3(m.normalised.value)} (${f3(m.normalised.low)}..${f3(m.normalised.high)})`
          : "-"
      }`,
    );
  }
  for (const [key, value] of Object.entries(m.details)) lines.push(`  ${key}: ${value}`);
  lines.push(`  backends: ${backendsText(outcome.backends)}`);
  lines.push(
    `  rule: ${m.rule}`,
    `  verdict: ${verdictText(m)}; pre-registered: ${expectationText(outcome.expectation)}`,
  );
  return lines.join("\n");
}

/**
 * Registers the Deno test of a claim.
 *
 * @example
 * ```ts
 * claimTest("autoencoder-helps");
 * ```
 */
export function claimTest(id: string): void {
  const claim = claimById(id);
  Deno.test(`${claim.source}: ${claim.title}`, async () => {
    const context = contextFromEnvironment();
    const [outcome] = await evaluateClaims([claim], context, expectationOf);
    const description = describeOutcome(outcome);
    console.log(description);
    assert.ok(
      outcome.asExpected,
      `pre-registered "${expectationText(outcome.expectation)}" but measured "${
        verdictText(outcome.measurement)
      }". On a seed base never used for tuning this is a finding: record it as a confirmation or a ` +
        `new expectation in lib/claims/preregistered/${context.scale}.json.\n${description}`,
    );
  });
}
