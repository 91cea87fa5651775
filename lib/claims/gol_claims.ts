/**
 * The paper's Game of Life claims (Tables 1-3, Section 3.1.1) on the one claim protocol. A
 * claim is data: the groups of runs it needs, its statistic, and the rule it is judged by;
 * expectations are pre-registered per scale in `preregistered/`.
 *
 * Inclusion, as in the paper, at every scale: only runs that reached 99% final-state accuracy
 * count; the convergence rate is shown beside every value. Every score is shown raw, beside the
 * best trivial decoder and a perfect imagination on the same held-out data, and normalised
 * between the two.
 *
 * @module
 */
import { differenceInterval, meanInterval } from "../stats/intervals.ts";
import type { TrainResult } from "../train/train.ts";
import { bestTrivial, type MetricReferences, normalisedScore } from "../train/references.ts";
import { type GroupId, GROUPS, groupSpecs } from "./groups.ts";
import { rulesOf } from "./preregistration.ts";
import type { Claim, Context, Measurement } from "./protocol.ts";
import { differenceRule, gainRule, meanRule, type RuleOutcome, signRule } from "./rules.ts";

/** Runs that count: finished, scored, and at 99% final-state accuracy (the paper's rule). */
export function includedRuns(results: readonly TrainResult[]): TrainResult[] {
  return results.filter((r) =>
    r.status === "ok" && r.metric !== null && r.references !== null && r.reachedTarget
  );
}

const metricOf = (r: TrainResult) => r.metric as number;
const referencesOf = (r: TrainResult) => r.references as MetricReferences;
const average = (values: number[]) =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
const f2 = (value: number) => Number.isFinite(value) ? value.toFixed(2) : "-";
const f0 = (value: number) => Number.isFinite(value) ? value.toFixed(0) : "-";
const steps = (e: { value: number; low: number; high: number; n: number }) =>
  `${f0(e.value)} (${f0(e.low)}..${f0(e.high)}, n=${e.n})`;

/**
 * Where the paper's effect lies against a difference interval, in words: a description beside
 * the verdict, which the pre-registered rule decides alone.
 */
export function paperEffectPlace(
  paperEffect: number,
  estimate: { low: number; high: number },
): string {
  if (!Number.isFinite(estimate.low) || !Number.isFinite(estimate.high)) return "-";
  const where = paperEffect > estimate.high
    ? "above the interval: the effect measured here is smaller than the paper's"
    : paperEffect < estimate.low
    ? "below the interval: the effect measured here is larger than the paper's"
    : "inside the interval";
  return `${f2(paperEffect)} lies ${where} (${f2(estimate.low)}..${f2(estimate.high)})`;
}

/** Mean metric and best trivial decoder over every finished run, converged or not. */
function allRunsDetail(results: readonly TrainResult[]): string {
  const finished = results.filter((r) => r.status === "ok" && r.metric !== null && r.references);
  return `${f2(average(finished.map(metricOf)))} (best trivial ${
    f2(average(finished.map((r) => bestTrivial(referencesOf(r)))))
  }, ${finished.length} runs, final-state accuracy ${
    finished.map((r) => r.finalAccuracy.toFixed(3)).join(", ")
  })`;
}

/** A GoL claim: the groups it reads, and its statistic on their results by group. */
function golClaim(
  base: Omit<Claim<TrainResult>, "specs" | "measure"> & { groups: GroupId[] },
  measure: (runs: Record<string, TrainResult[]>, context: Context) => Measurement,
): Claim<TrainResult> & { groups: GroupId[] } {
  return {
    ...base,
    specs: (context) =>
      Promise.resolve(
        base.groups.flatMap((id) => groupSpecs(GROUPS[id], context.scale, context.seedBase)),
      ),
    measure(results, context) {
      const runs: Record<string, TrainResult[]> = {};
      let offset = 0;
      for (const id of base.groups) {
        const count = GROUPS[id].runs[context.scale];
        runs[id] = results.slice(offset, offset += count);
      }
      return measure(runs, context);
    },
  };
}

function convergence(results: readonly TrainResult[]): string {
  return `${results.filter((r) => r.reachedTarget).length}/${results.length}`;
}

function measurementOf(
  outcome: RuleOutcome,
  included: readonly TrainResult[],
  total: number,
  details: Record<string, number | string>,
): Measurement {
  return {
    ...outcome,
    normalised: meanInterval(included.map((r) => normalisedScore(metricOf(r), referencesOf(r)))),
    trivial: average(included.map((r) => bestTrivial(referencesOf(r)))),
    perfect: average(included.map((r) => referencesOf(r).perfect)),
    runs: { included: included.length, total },
    details,
  };
}

/** A Table 1/2 mean: the mean metric of the converged runs, two-sided around the paper's. */
function meanClaim(
  id: string,
  title: string,
  source: string,
  table: string,
  group: GroupId,
  paperValue: number,
) {
  return golClaim(
    {
      id,
      title,
      source,
      table,
      paper: `mean metric ${paperValue.toFixed(2)} over ${GROUPS[group].runs.paper} runs`,
      paperValue,
      groups: [group],
    },
    (runs, context) => {
      const rules = rulesOf(context.scale);
      const included = includedRuns(runs[group]);
      const outcome = meanRule(included.map(metricOf), {
        paperValue,
        tolerance: rules.meanTolerance,
        trivial: average(included.map((r) => bestTrivial(referencesOf(r)))),
        total: runs[group].length,
      }, rules);
      return measurementOf(outcome, included, runs[group].length, {
        converged: convergence(runs[group]),
        "all runs, counted or not": allRunsDetail(runs[group]),
        "regular decoder": f2(average(included.map((r) => r.regular!.metric))),
        "adversarial decoder": f2(average(included.map((r) => r.adversarial?.metric ?? NaN))),
      });
    },
  );
}

/** The largest difference between two groups that some trivial decoder shows on their data. */
function trivialDifference(a: readonly TrainResult[], b: readonly TrainResult[]): number {
  if (a.length === 0 || b.length === 0) return NaN;
  const names = Object.keys(referencesOf(a[0]).trivial) as (keyof MetricReferences["trivial"])[];
  return Math.max(
    ...names.map((name) =>
      average(a.map((r) => referencesOf(r).trivial[name])) -
      average(b.map((r) => referencesOf(r).trivial[name]))
    ),
  );
}

/** "A beats B": the difference of the converged runs' mean metrics. */
function differenceClaim(
  base: { id: string; title: string; source: string; table: string; paper: string },
  withGroup: GroupId,
  withoutGroup: GroupId,
  paperEffect: number,
) {
  return golClaim(
    { ...base, paperValue: paperEffect, groups: [withGroup, withoutGroup] },
    (runs, context) => {
      const a = includedRuns(runs[withGroup]), b = includedRuns(runs[withoutGroup]);
      const outcome = differenceRule(a.map(metricOf), b.map(metricOf), {
        paperEffect,
        trivialDifference: trivialDifference(a, b),
        totals: [runs[withGroup].length, runs[withoutGroup].length],
        labels: [withGroup, withoutGroup],
      }, rulesOf(context.scale));
      const normalised = (runs: TrainResult[]) =>
        runs.map((r) => normalisedScore(metricOf(r), referencesOf(r)));
      return {
        ...outcome,
        normalised: differenceInterval(normalised(a), normalised(b)),
        runs: {
          included: Math.min(a.length, b.length),
          total: runs[withGroup].length + runs[withoutGroup].length,
        },
        details: {
          [`mean ${withGroup}`]: f2(average(a.map(metricOf))),
          [`mean ${withoutGroup}`]: f2(average(b.map(metricOf))),
          [`converged ${withGroup}`]: convergence(runs[withGroup]),
          [`converged ${withoutGroup}`]: convergence(runs[withoutGroup]),
          [`all ${withGroup} runs`]: allRunsDetail(runs[withGroup]),
          [`all ${withoutGroup} runs`]: allRunsDetail(runs[withoutGroup]),
          [`best trivial ${withGroup}`]: f2(average(a.map((r) => bestTrivial(referencesOf(r))))),
          [`best trivial ${withoutGroup}`]: f2(average(b.map((r) => bestTrivial(referencesOf(r))))),
          "largest trivial-decoder difference": f2(trivialDifference(a, b)),
          "the paper's effect against the interval": paperEffectPlace(
            paperEffect,
            outcome.estimate,
          ),
        },
      };
    },
  );
}

/**
 * Whether model index `earlier` reached 98% decode accuracy strictly before index `later` in a
 * run: true, false (later, or never while `later` did), or null (the same traced step: a tie).
 */
export function reachedBefore(result: TrainResult, earlier: number, later: number): boolean | null {
  const first = result.trace.firstReach98[earlier], last = result.trace.firstReach98[later];
  if (last === null || last === undefined) {
    throw new RangeError(`model index ${later} never reached 98%: the run does not count`);
  }
  if (first === null || first === undefined) return false;
  return first === last ? null : first < last;
}

const learningOrder = golClaim(
  {
    id: "learning-order",
    title: "Intermediate states reach 98% decode accuracy before the final state",
    source: "Section 3.1.1 (15 networks, 3 timesteps)",
    table: "Table 1 and the autoencoder / RNN / hyperparameter claims",
    paper: "the 3rd state 2773 and the 2nd state 5533 training steps before the 4th, on average",
    paperValue: 5533,
    groups: ["t3"],
  },
  (runs, context) => {
    const rules = rulesOf(context.scale);
    const T = 3;
    // Only runs whose final state reached 98% can say which state came first.
    const included = runs.t3.filter((r) =>
      r.status === "ok" && r.trace.firstReach98[T] !== null && r.trace.firstReach98[T] !== undefined
    );
    const signs = (t: number) =>
      included.map((r) => reachedBefore(r, t, T)).filter((s): s is boolean => s !== null);
    const settings = {
      minRuns: rules.signTestMinRuns,
      total: runs.t3.length,
      counted: "reached 98% in the final state (ties with it left out)",
    };
    const second = signRule(signs(1), settings, rules);
    const third = signRule(signs(2), settings, rules);
    const both = [second, third];
    const outcome: RuleOutcome = both.find((o) => o.verdict === "untested") ??
      both.find((o) => o.verdict === "contradicted") ??
      (both.every((o) => o.verdict === "reproduced")
        ? second
        : { ...second, verdict: "inconclusive" });
    const leads = (t: number) =>
      included.filter((r) => r.trace.firstReach98[t] !== null).map((r) =>
        (r.trace.firstReach98[T] as number) - (r.trace.firstReach98[t] as number)
      );
    const lead2 = meanInterval(leads(1)), lead3 = meanInterval(leads(2));
    return {
      ...outcome,
      rule: `${second.rule}, for the 2nd and the 3rd state; runs whose 4th state reached 98% count`,
      runs: { included: included.length, total: runs.t3.length },
      details: {
        "4th state reached 98%": `${included.length}/${runs.t3.length}`,
        "2nd state first": `${signs(1).filter(Boolean).length}/${signs(1).length}`,
        "3rd state first": `${signs(2).filter(Boolean).length}/${signs(2).length}`,
        "3rd-state share CI": `${f2(third.estimate.low)}..${f2(third.estimate.high)}`,
        "2nd before 4th (steps; paper 5533)": steps(lead2),
        "3rd before 4th (steps; paper 2773)": steps(lead3),
      },
    };
  },
);

/** Fresh and adversarial decoders' mean metric over every finished run, converged or not. */
function allRunsGains(results: readonly TrainResult[]): string {
  const finished = results.filter((r) => r.status === "ok" && r.fresh && r.adversarial);
  return `${f2(average(finished.map((r) => r.fresh!.metric)))} -> ${
    f2(average(finished.map((r) => r.adversarial!.metric)))
  } (${finished.length} runs)`;
}

/** Table 3: the adversarial phase's gain over the fresh decoder before it, run by run. */
function adversarialClaim(
  id: string,
  group: GroupId,
  paperWithout: number,
  paperWith: number,
  helps: boolean,
) {
  return golClaim(
    {
      id,
      title: helps
        ? `The adversarial decoder improves the metric (${GROUPS[group].description})`
        : `Without the autoencoder the adversarial decoder does not help`,
      source: "Table 3",
      table: "Table 3: adversarial training",
      paper: `${paperWithout.toFixed(2)} without, ${
        paperWith.toFixed(2)
      } with adversarial training`,
      paperValue: paperWith - paperWithout,
      groups: [group],
    },
    (runs, context) => {
      const rules = rulesOf(context.scale);
      const included = includedRuns(runs[group]).filter((r) => r.adversarial && r.fresh);
      const gains = included.map((r) => r.adversarial!.metric - r.fresh!.metric);
      const outcome = gainRule(gains, {
        helps,
        paperEffect: paperWith - paperWithout,
        tolerance: rules.noGainTolerance,
        total: runs[group].length,
      }, rules);
      return measurementOf(outcome, included, runs[group].length, {
        "without adversarial (fresh decoder)": f2(average(included.map((r) => r.fresh!.metric))),
        "with adversarial": f2(average(included.map((r) => r.adversarial!.metric))),
        "jointly trained decoder": f2(average(included.map((r) => r.regular!.metric))),
        converged: convergence(runs[group]),
        "all runs: fresh -> adversarial": allRunsGains(runs[group]),
      });
    },
  );
}

const TABLE1 = "Table 1 and the autoencoder / RNN / hyperparameter claims";
const TABLE2 = "Table 2: different GoL and model timesteps";

/** Every Game of Life claim, in the paper's order. */
export const GOL_CLAIMS: Claim<TrainResult>[] = [
  meanClaim(
    "table1-2-timesteps",
    "Same GoL and model timesteps (2) are highly interpretable",
    "Table 1, row 1",
    TABLE1,
    "t2",
    1.0,
  ),
  meanClaim(
    "table1-3-timesteps",
    "Same GoL and model timesteps (3) are highly interpretable",
    "Table 1, row 2",
    TABLE1,
    "t3",
    0.99,
  ),
  meanClaim(
    "table1-4-timesteps",
    "Same GoL and model timesteps (4) are highly interpretable",
    "Table 1, row 3",
    TABLE1,
    "t4",
    0.93,
  ),
  differenceClaim(
    {
      id: "table1-trend",
      title: "Interpretability gets slightly worse with more timesteps",
      source: "Table 1, rows 1-3",
      table: TABLE1,
      paper: "1.00 (2) > 0.99 (3) > 0.93 (4): 2 timesteps beat 4 by 0.07",
    },
    "t2",
    "t4",
    0.07,
  ),
  differenceClaim(
    {
      id: "autoencoder-helps",
      title: "The autoencoder loss makes hidden states more interpretable",
      source: "Table 1, rows 2 and 4",
      table: TABLE1,
      paper: "0.99 with vs 0.56 without the autoencoder",
    },
    "t3",
    "t3NoAutoencoder",
    0.43,
  ),
  differenceClaim(
    {
      id: "rnn-helps",
      title: "Sharing step weights (RNN) makes hidden states more interpretable",
      source: "Table 1, rows 2 and 5",
      table: TABLE1,
      paper: "0.99 shared vs 0.40 per-timestep weights",
    },
    "t3",
    "t3NoRnn",
    0.59,
  ),
  learningOrder,
  differenceClaim(
    {
      id: "channels",
      title: "The base channel count beats 1.5x as many channels",
      source: "Section 3.1.1",
      table: TABLE1,
      paper: "20 channels improve the metric by 0.09 over larger numbers",
    },
    "t3",
    "t3Wide",
    0.09,
  ),
  differenceClaim(
    {
      id: "encoder-decoder-layers",
      title: "1 encoder and decoder layer beat 3",
      source: "Section 3.1.1",
      table: TABLE1,
      paper: "1 layer improves the metric by 0.14 over 3",
    },
    "t3",
    "t3Deep",
    0.14,
  ),
  meanClaim(
    "table2-gol2-model3",
    "2 GoL steps imagined in 3 model timesteps",
    "Table 2, row 1",
    TABLE2,
    "g2m3",
    0.73,
  ),
  meanClaim(
    "table2-gol3-model2",
    "3 GoL steps imagined in 2 model timesteps",
    "Table 2, row 2",
    TABLE2,
    "g3m2",
    0.74,
  ),
  adversarialClaim("table3-gol2-model3", "g2m3", 0.58, 0.65, true),
  adversarialClaim("table3-gol3-model2", "g3m2", 0.15, 0.71, true),
  adversarialClaim("table3-no-rnn", "t3NoRnn", 0.11, 0.40, true),
  adversarialClaim("table3-no-autoencoder", "t3NoAutoencoder", 0.44, 0.43, false),
];
