/**
 * One claim protocol for the three experiments (Game of Life tables, Table 4's cell-counting
 * LSTM, chess): a claim names the runs it needs for a context and turns their results into a
 * measurement with one of four verdicts. Its expectation at each scale is pre-registered in
 * `preregistered/<scale>.json`, not written in code.
 *
 * - **reproduced**: the paper's statement holds at the stated confidence;
 * - **contradicted**: its opposite holds at the stated confidence;
 * - **inconclusive**: the interval allows both;
 * - **untested**, with its reason: too few converged runs, a trivial decoder also passes, a
 *   positive control fails, or the comparison cannot detect the paper's effect at its n.
 *
 * @module
 */
import { ensureRuns } from "../runs/pool.ts";
import { type RunSpec, specHash, type Store, type StoredRun } from "../runs/store.ts";
import { completionOrder } from "./schedule.ts";
import type { Interval } from "../stats/intervals.ts";

/**
 * A scale: `quick` (a 2-core CPU, minutes), `faithful` (the paper's architecture and training
 * rule on 16x16 boards, core-hours, recorded under `evidence/faithful/`) or `paper` (the
 * paper's sizes, for a GPU).
 */
export type Scale = "quick" | "faithful" | "paper";

/** Every scale, in the order the report lists them. */
export const SCALES: readonly Scale[] = ["quick", "faithful", "paper"];

/** What every claim is measured in: built once at the entry point and passed down. */
export interface Context {
  /** The scale. */
  scale: Scale;
  /** The seed base the runs' seeds are drawn from. */
  seedBase: number;
  /** The run store runs are read from and written to (a local folder or a shared bucket). */
  store: Store;
  /** Silence progress output. */
  quiet?: boolean;
}

/** The four verdicts. */
export type Verdict = "reproduced" | "contradicted" | "inconclusive" | "untested";

/** Why a claim is untested. */
export type UntestedReason = "convergence" | "trivial" | "control" | "power";

/** What a claim measured. */
export interface Measurement {
  /** The verdict. */
  verdict: Verdict;
  /** For "untested": the reason's kind and the reason in words with its numbers. */
  reason?: { kind: UntestedReason; text: string };
  /** The claim's statistic with its interval (and minimum detectable effect). */
  estimate: Interval;
  /** The statistic on the normalised scale (best trivial decoder 0, perfect imagination 1). */
  normalised?: Interval;
  /** The best trivial decoder's score on the same data, where the claim has one. */
  trivial?: number;
  /** A perfect imagination's score on the same data, where the claim has one. */
  perfect?: number;
  /** Runs that count under the inclusion rule, of all runs. */
  runs: { included: number; total: number };
  /** The rule applied, in words with its numbers. */
  rule: string;
  /** Further numbers for the report (label -> value). */
  details: Record<string, number | string>;
}

/** A pre-registered expectation: the verdict a claim's test asserts at a scale. */
export interface Expectation {
  /** The verdict expected. */
  verdict: Verdict;
  /** For "untested": the reason expected to hold. */
  reason?: UntestedReason;
  /** When and on what the expectation was set. */
  setOn: { seedBase: number | null; date: string; basis: string };
  /** Later measurements on seed bases never used for tuning. */
  confirmations: { seedBase: number; date: string; measured: string }[];
}

/** A paper claim. `R` is the result type of its runs. */
export interface Claim<R = unknown> {
  /** Id, also the claim test's name. */
  id: string;
  /** The claim in words. */
  title: string;
  /** Where in the paper. */
  source: string;
  /** The report table it belongs to. */
  table: string;
  /** The paper's value, in words. */
  paper: string;
  /** The paper's value as a number, when there is one. */
  paperValue?: number;
  /** The runs it needs in a context. */
  specs(context: Context): Promise<RunSpec[]>;
  /** Its statistic and verdict, from the results of `specs(context)` in the same order. */
  measure(results: R[], context: Context): Measurement;
}

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
  /** The pre-registered expectation at this scale. */
  expectation: Expectation;
  /** Whether the verdict (and an untested reason) is the expected one: what the test asserts. */
  asExpected: boolean;
  /** The runs' results, in the order of the claim's specs. */
  results: unknown[];
  /** Run folders in the store, in the same order. */
  runDirs: string[];
  /** Per run, in the same order: whether it was already stored (else trained now). */
  wasRecorded: boolean[];
  /** Runs trained by this evaluation, and runs found already stored. */
  trainedNow: number;
  /** Backends the runs ran on, with their run counts ("wasm-xnnpack" -> 3). */
  backends: Record<string, number>;
  /** See `trainedNow`. */
  recorded: number;
}

/**
 * Whether a measurement meets an expectation: the same verdict, and for "untested" the same
 * reason.
 *
 * @example
 * ```ts
 * meetsExpectation(measurement, expectation); // true
 * ```
 */
export function meetsExpectation(measurement: Measurement, expectation: Expectation): boolean {
  if (measurement.verdict !== expectation.verdict) return false;
  return measurement.verdict !== "untested" || measurement.reason?.kind === expectation.reason;
}

/**
 * The verdict in words, with an untested reason.
 *
 * @example
 * ```ts
 * verdictText(measurement); // "untested: 0 of 4 runs converged (at least 3 needed)"
 * ```
 */
export function verdictText(measurement: Pick<Measurement, "verdict" | "reason">): string {
  return measurement.verdict === "untested" && measurement.reason
    ? `untested: ${measurement.reason.text}`
    : measurement.verdict;
}

/**
 * The expected verdict in words.
 *
 * @example
 * ```ts
 * expectationText(expectation); // "untested (convergence)"
 * ```
 */
export function expectationText(expectation: Expectation): string {
  return expectation.verdict === "untested"
    ? `untested (${expectation.reason})`
    : expectation.verdict;
}

/** A claim whose runs are not all in the store yet (a sweep in progress). */
export interface PendingClaim {
  /** The claim. */
  claim: Claim;
  /** Its runs in the store. */
  recorded: number;
  /** Its runs in all. */
  total: number;
}

/**
 * The claims whose runs are not all stored, with how many are: what a sweep has still to do.
 * No verdict is taken from part of a claim's runs, since the runs that finish first (those that
 * converge fastest) are not a fair sample of all.
 *
 * @example
 * ```ts
 * const pending = await pendingClaims(GOL_CLAIMS, context); // [{ claim, recorded: 3, total: 12 }]
 * ```
 */
export async function pendingClaims(
  claims: readonly Claim[],
  context: Context,
): Promise<PendingClaim[]> {
  const pending: PendingClaim[] = [];
  for (const claim of claims) {
    const specs = await claim.specs(context);
    const found = await Promise.all(specs.map((spec) => context.store.read(spec)));
    const recorded = found.filter((entry) => entry !== null).length;
    if (recorded < specs.length) pending.push({ claim, recorded, total: specs.length });
  }
  return pending;
}

/**
 * Every spec's stored run, training what is missing claim by claim, the claim with the least
 * left first (schedule.ts), so verdicts land as early as the runs allow; the order changes no
 * number. `recorded` is what the store held for `specs.flat()`.
 */
async function trainMissing(
  specs: readonly RunSpec[][],
  recorded: readonly (StoredRun<unknown> | null)[],
  claims: readonly Claim[],
  context: Context,
  onStored: ((run: StoredRun<unknown>) => void | Promise<void>) | undefined,
): Promise<StoredRun<unknown>[]> {
  const all = specs.flat();
  const storedHashes = new Set(
    recorded.flatMap((entry, i) => entry === null ? [] : [specHash(all[i])]),
  );
  const first = completionOrder(specs, (spec) => storedHashes.has(specHash(spec)));
  const runs = await ensureRuns<unknown>([...first, ...all], {
    store: context.store,
    label: claims.length === 1 ? claims[0].id : `${claims.length} claims`,
    quiet: context.quiet,
    onStored,
  });
  return runs.slice(first.length);
}

/**
 * Measures claims in a context: every claim's runs are gathered into one pool (so the workers
 * stay busy across claims), stored runs are reused, missing ones trained; then each claim's
 * statistic is applied and compared with its expectation. With `recordedOnly`, nothing is
 * trained: only claims whose runs are all stored are measured (the others are left out).
 *
 * @example
 * ```ts
 * const outcomes = await evaluateClaims(CLAIMS, context, expectationsFor);
 * ```
 */
export async function evaluateClaims(
  claims: readonly Claim[],
  context: Context,
  expectationOf: (claim: Claim, scale: Scale) => Expectation,
  options: {
    recordedOnly?: boolean;
    /** Called for each run trained now, once stored (see `RunnerOptions.onStored`). */
    onStored?: (run: StoredRun<unknown>) => void | Promise<void>;
  } = {},
): Promise<ClaimOutcome[]> {
  const wanted = await Promise.all(claims.map((claim) => claim.specs(context)));
  // Each spec is read from the store once: what is recorded decides what is measured (with
  // `recordedOnly`) and what counts as recorded rather than trained now.
  const found = await Promise.all(
    wanted.map((list) => Promise.all(list.map((spec) => context.store.read(spec)))),
  );
  const measured = found.map((list) =>
    !options.recordedOnly || list.every((entry) => entry !== null)
  );
  claims = claims.filter((_, i) => measured[i]);
  const specs = wanted.filter((_, i) => measured[i]);
  const recordedRuns = found.filter((_, i) => measured[i]).flat();
  const wasStored = recordedRuns.map((entry) => entry !== null);
  const stored = options.recordedOnly
    ? recordedRuns as StoredRun<unknown>[]
    : await trainMissing(specs, recordedRuns, claims, context, options.onStored);
  let offset = 0;
  return claims.map((claim, i) => {
    const from = offset;
    offset += specs[i].length;
    const runs = stored.slice(from, offset);
    const recorded = wasStored.slice(from, offset).filter(Boolean).length;
    const measurement = claim.measure(runs.map((run) => run.result), context);
    const backends: Record<string, number> = {};
    for (const run of runs) {
      const name = (run.result as { backend?: { name?: string } }).backend?.name ?? "unknown";
      backends[name] = (backends[name] ?? 0) + 1;
    }
    const expectation = expectationOf(claim, context.scale);
    return {
      claim,
      scale: context.scale,
      seedBase: context.seedBase,
      measurement,
      expectation,
      asExpected: meetsExpectation(measurement, expectation),
      results: runs.map((run) => run.result),
      runDirs: runs.map((run) => run.dir),
      wasRecorded: wasStored.slice(from, offset),
      trainedNow: runs.length - recorded,
      recorded,
      backends,
    };
  });
}
