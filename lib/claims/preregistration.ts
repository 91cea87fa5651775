/**
 * The pre-registration: per scale, one file (`preregistered/<scale>.json`) holds the rule
 * constants and every claim's expected verdict, each with the seed base and evidence it was
 * set on. An expectation changes only with a confirming measurement on a seed base never used
 * for tuning, recorded beside it in `confirmations`; git history is the audit trail.
 *
 * @module
 */
import faithful from "./preregistered/faithful.json" with { type: "json" };
import paper from "./preregistered/paper.json" with { type: "json" };
import quick from "./preregistered/quick.json" with { type: "json" };
import type { Claim, Expectation, Scale, UntestedReason, Verdict } from "./protocol.ts";
import type { RuleSettings } from "./rules.ts";

/** Rule constants of a scale. */
export interface ScaleRules extends RuleSettings {
  /** Tolerance of every mean claim: paper value +- this. */
  meanTolerance: number;
  /** "Does not help" claims: the gain's interval must lie below this. */
  noGainTolerance: number;
  /** Fewest runs for the learning-order sign test. */
  signTestMinRuns: number;
}

/** One scale's pre-registration file. */
export interface Preregistration {
  /** The scale. */
  scale: Scale;
  /** The seed base the scale's configuration was tuned on (null: none, the paper's values). */
  tuning: { seedBase: number | null; note: string };
  /** The rule constants, fixed before the runs that judge them. */
  rules: ScaleRules & { setOn: string };
  /** Expectations by claim id. */
  expectations: Record<string, Expectation>;
}

const VERDICTS: readonly Verdict[] = ["reproduced", "contradicted", "inconclusive", "untested"];
const REASONS: readonly UntestedReason[] = ["convergence", "trivial", "control", "power"];

function checked(data: unknown, scale: Scale): Preregistration {
  const file = `lib/claims/preregistered/${scale}.json`;
  const value = data as Preregistration;
  if (value.scale !== scale) {
    throw new Error(`${file}: "scale" is ${value.scale}, expected ${scale}`);
  }
  for (const [id, expectation] of Object.entries(value.expectations)) {
    if (!VERDICTS.includes(expectation.verdict)) {
      throw new Error(
        `${file}: ${id}: verdict "${expectation.verdict}": expected one of ${VERDICTS.join(", ")}`,
      );
    }
    if ((expectation.verdict === "untested") !== (expectation.reason !== undefined)) {
      throw new Error(`${file}: ${id}: a reason is given exactly when the verdict is "untested"`);
    }
    if (expectation.reason !== undefined && !REASONS.includes(expectation.reason)) {
      throw new Error(
        `${file}: ${id}: reason "${expectation.reason}": expected one of ${REASONS.join(", ")}`,
      );
    }
    if (
      !expectation.setOn?.date || !expectation.setOn.basis ||
      !Array.isArray(expectation.confirmations)
    ) {
      throw new Error(
        `${file}: ${id}: expected setOn { seedBase, date, basis } and confirmations [...]`,
      );
    }
  }
  return value;
}

const FILES: Record<Scale, Preregistration> = {
  quick: checked(quick, "quick"),
  faithful: checked(faithful, "faithful"),
  paper: checked(paper, "paper"),
};

/**
 * A scale's pre-registration.
 *
 * @example
 * ```ts
 * preregistration("quick").tuning.seedBase; // 20240530
 * ```
 */
export function preregistration(scale: Scale): Preregistration {
  return FILES[scale];
}

/**
 * A scale's rule constants.
 *
 * @example
 * ```ts
 * rulesOf("quick").minIncludedRuns; // 3
 * ```
 */
export function rulesOf(scale: Scale): ScaleRules {
  return FILES[scale].rules;
}

/**
 * A claim's pre-registered expectation at a scale, with a clear error when there is none.
 *
 * @example
 * ```ts
 * expectationOf(claim, "quick").verdict; // "untested"
 * ```
 */
export function expectationOf(claim: Pick<Claim, "id">, scale: Scale): Expectation {
  const expectation = FILES[scale].expectations[claim.id];
  if (!expectation) {
    throw new Error(
      `claim "${claim.id}" has no expectation at ${scale} scale: add one to lib/claims/preregistered/${scale}.json`,
    );
  }
  return expectation;
}
