/**
 * The body shared by every claims/*_test.ts: measure the claim and assert its expectation,
 * printing the measurement (and the seed base, so a failure can be replayed).
 *
 * @module
 */
import assert from "node:assert/strict";
import { claimById, describeOutcome, measureClaim, verdictOf } from "./run.ts";

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
    const outcome = await measureClaim(claim);
    const line = describeOutcome(outcome);
    console.log(line);
    for (const [key, value] of Object.entries(outcome.measurement.details)) {
      console.log(`  ${key}: ${typeof value === "number" ? value.toFixed(3) : value}`);
    }
    assert.ok(
      outcome.asExpected,
      `expected "${outcome.expectation.expect}" but the measurement says ${
        verdictOf(outcome.measurement)
      }; if this is a new seed base, record the evidence in lib/claims/claims.ts: ${line}`,
    );
  });
}
