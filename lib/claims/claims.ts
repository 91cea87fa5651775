/**
 * The registry of the paper's Game of Life claims. A claim is data: where it comes from, the
 * paper's value, the groups of runs it needs, how its statistic is computed, and its pass rule
 * and expectation at each scale. Tests (claims/*_test.ts) and the report both read it; no
 * verdict or number is written by hand anywhere.
 *
 * Inclusion: at paper scale, as in the paper, only runs that reached 99% final-state accuracy
 * count. At quick scale runs are too short to get there, so every run counts and the
 * convergence rate is reported beside the value.
 *
 * @module
 */
import { bootstrap, bootstrapDifference, type Estimate } from "../stats/bootstrap.ts";
import type { TrainResult } from "../train/train.ts";
import { type GroupId, GROUPS, type Scale } from "./groups.ts";

/** What a claim measured. */
export interface Measurement {
  /** The statistic with its 95% bootstrap CI. */
  estimate: Estimate;
  /** Whether the pass rule holds (the claim is reproduced). */
  passed: boolean;
  /** Whether the data clearly contradict the claim (the rule's opposite holds). */
  contradicted: boolean;
  /** Extra numbers for the report (label -> value). */
  details: Record<string, number | string>;
}

/**
 * The expectation at a scale, which the claim's test asserts: the rule holds ("reproduces"),
 * the data do not clearly contradict the paper ("not contradicted": used where quick scale's
 * few runs cannot settle a comparison either way), or the rule fails ("not reproduced",
 * recorded with the evidence).
 */
export interface Expectation {
  /** See the interface doc. */
  expect: "reproduces" | "not contradicted" | "not reproduced";
  /** The pass rule in words. */
  rule: string;
  /** For "not reproduced": the measured evidence that led to it. */
  evidence?: string;
}

/** A paper claim. */
export interface Claim {
  /** Id, also the test's name. */
  id: string;
  /** The claim in words. */
  title: string;
  /** Where in the paper. */
  source: string;
  /** The paper's value, in words. */
  paper: string;
  /** The paper's value as a number, when there is one. */
  paperValue?: number;
  /** Groups whose runs it needs. */
  groups: GroupId[];
  /** Computes the statistic and the pass rule. */
  measure(runs: Record<string, TrainResult[]>, scale: Scale): Measurement;
  /** Expectation per scale. */
  expectations: Record<Scale, Expectation>;
}

/**
 * The quick-scale expectation: "reproduces", or, with the measured evidence that showed
 * otherwise, "not reproduced" (the test then checks the rule still fails on a fresh measurement).
 */
function expectAtQuickScale(
  rule: string,
  evidence?: string,
  expect: Expectation["expect"] = evidence ? "not reproduced" : "reproduces",
): Expectation {
  return { expect, rule, evidence };
}

/** Quick scale's comparisons rest on 2-4 runs a side: their tests ask only that they not contradict. */
const UNDERPOWERED = "not contradicted" as const;

/** Runs that count at a scale (see the module doc). */
export function includedRuns(results: TrainResult[], scale: Scale): TrainResult[] {
  const ok = results.filter((r) => r.status === "ok" && r.metric !== null);
  return scale === "paper" ? ok.filter((r) => r.reachedTarget) : ok;
}

const metricOf = (r: TrainResult) => r.metric as number;
const SEED = 1;

function convergence(results: TrainResult[]): string {
  return `${results.filter((r) => r.reachedTarget).length}/${results.length}`;
}

/** A Table 1/2 mean: passes when the mean is at least the paper's value minus `tolerance`. */
function meanClaim(
  id: string,
  title: string,
  source: string,
  group: GroupId,
  paperValue: number,
  quickTolerance: number,
  quickEvidence?: string,
): Claim {
  return {
    id,
    title,
    source,
    paper: `mean metric ${paperValue.toFixed(2)} over ${GROUPS[group].runs.paper} runs`,
    paperValue,
    groups: [group],
    measure(runs, scale) {
      const included = includedRuns(runs[group], scale);
      const estimate = bootstrap(included.map(metricOf), { seed: SEED });
      const tolerance = scale === "paper" ? 0.1 : quickTolerance;
      const passed = scale === "paper"
        ? Math.abs(estimate.value - paperValue) <= tolerance
        : estimate.value >= paperValue - tolerance;
      const contradicted = scale === "paper"
        ? estimate.high < paperValue - tolerance || estimate.low > paperValue + tolerance
        : estimate.high < paperValue - tolerance;
      return {
        estimate,
        passed,
        contradicted,
        details: {
          converged: convergence(runs[group]),
          "regular decoder":
            bootstrap(included.map((r) => r.regular!.metric), { seed: SEED }).value,
          "adversarial decoder":
            bootstrap(included.map((r) => r.adversarial?.metric ?? NaN), { seed: SEED }).value,
        },
      };
    },
    expectations: {
      quick: expectAtQuickScale(
        `mean >= ${
          (paperValue - quickTolerance).toFixed(2)
        } (paper ${paperValue} - ${quickTolerance}; small boards can exceed 1)`,
        quickEvidence,
      ),
      paper: { expect: "reproduces", rule: `|mean - ${paperValue}| <= 0.1` },
    },
  };
}

/** "A helps": mean(with) - mean(without) with its CI's lower bound above 0. */
function helpsClaim(
  id: string,
  title: string,
  source: string,
  withGroup: GroupId,
  withoutGroup: GroupId,
  paper: string,
  paperValue: number,
  quickEvidence?: string,
): Claim {
  return {
    id,
    title,
    source,
    paper,
    paperValue,
    groups: [withGroup, withoutGroup],
    measure(runs, scale) {
      const a = includedRuns(runs[withGroup], scale).map(metricOf);
      const b = includedRuns(runs[withoutGroup], scale).map(metricOf);
      const estimate = bootstrapDifference(a, b, { seed: SEED });
      return {
        estimate,
        passed: estimate.low > 0,
        contradicted: estimate.high < 0,
        details: {
          [`mean ${withGroup}`]: bootstrap(a).value,
          [`mean ${withoutGroup}`]: bootstrap(b).value,
          [`converged ${withGroup}`]: convergence(runs[withGroup]),
          [`converged ${withoutGroup}`]: convergence(runs[withoutGroup]),
        },
      };
    },
    expectations: {
      quick: expectAtQuickScale(
        "difference of means > 0 with the 95% CI's lower bound > 0",
        quickEvidence,
        UNDERPOWERED,
      ),
      paper: {
        expect: "reproduces",
        rule: "difference of means > 0 with the 95% CI's lower bound > 0",
      },
    },
  };
}

/**
 * Steps by which model index `earlier` reached 98% before index `later` (first traced step at
 * 98% per-cell decode accuracy). An index that never got there counts as reaching it one trace
 * interval after the run's last step (a lower bound, which favours neither side of the claim
 * when the later state is censored and understates the gap otherwise).
 */
export function stepsBefore(
  result: TrainResult,
  earlier: number,
  later: number,
  traceInterval: number,
): number {
  const reach = (t: number) => result.trace.firstReach98[t] ?? result.steps + traceInterval;
  return reach(later) - reach(earlier);
}

const learningOrder: Claim = {
  id: "learning-order",
  title: "Intermediate states reach 98% decode accuracy before the final state",
  source: "Section 3.1.1 (15 networks, 3 timesteps)",
  paper: "the 3rd state 2773 and the 2nd state 5533 training steps before the 4th, on average",
  paperValue: 5533,
  groups: ["t3"],
  measure(runs, scale) {
    const included = includedRuns(runs.t3, scale);
    const interval = included[0]?.trace.steps[0] ?? 1;
    const second = included.map((r) => stepsBefore(r, 1, 3, interval));
    const third = included.map((r) => stepsBefore(r, 2, 3, interval));
    const estimate = bootstrap(second, { seed: SEED });
    const thirdEstimate = bootstrap(third, { seed: SEED });
    return {
      estimate,
      passed: estimate.low > 0 && thirdEstimate.low > 0,
      contradicted: estimate.high < 0 || thirdEstimate.high < 0,
      details: {
        "2nd before 4th (steps)": estimate.value,
        "3rd before 4th (steps)": thirdEstimate.value,
        "3rd before 4th CI": `[${thirdEstimate.low.toFixed(0)}, ${thirdEstimate.high.toFixed(0)}]`,
        "runs where the 4th state never reached 98%":
          included.filter((r) => r.trace.firstReach98[3] === null).length,
      },
    };
  },
  expectations: {
    quick: expectAtQuickScale(
      "both mean leads > 0 with 95% CI lower bounds > 0",
      "seed base 20240530, 4 runs of 4,500 steps: no run's 4th state reached 98%; the 2nd state led by 825 steps " +
        "(CI 225..1550) but the 3rd by only 150 (CI 0..375): quick runs end before the final state is learned",
      UNDERPOWERED,
    ),
    paper: { expect: "reproduces", rule: "both mean leads > 0 with 95% CI lower bounds > 0" },
  },
};

const timestepTrend: Claim = {
  id: "table1-trend",
  title: "Interpretability gets slightly worse with more timesteps",
  source: "Table 1, rows 1-3",
  paper: "1.00 (2) > 0.99 (3) > 0.93 (4): 2 timesteps beat 4 by 0.07",
  paperValue: 0.07,
  groups: ["t2", "t4"],
  measure(runs, scale) {
    const estimate = bootstrapDifference(
      includedRuns(runs.t2, scale).map(metricOf),
      includedRuns(runs.t4, scale).map(metricOf),
      { seed: SEED },
    );
    return { estimate, passed: estimate.low > 0, contradicted: estimate.high < 0, details: {} };
  },
  expectations: {
    quick: {
      expect: "reproduces",
      rule: "mean(2 timesteps) - mean(4 timesteps) with the 95% CI's lower bound > 0",
    },
    paper: {
      expect: "reproduces",
      rule: "mean(2 timesteps) - mean(4 timesteps) with the 95% CI's lower bound > 0",
    },
  },
};

/** Table 3: the adversarial decoder's gain over the regular decoder, per row. */
function adversarialClaim(
  id: string,
  group: GroupId,
  paperWithout: number,
  paperWith: number,
  helps: boolean,
  quickEvidence?: string,
  quickExpect: Expectation["expect"] = UNDERPOWERED,
): Claim {
  return {
    id,
    title: helps
      ? `The adversarial decoder improves the metric (${GROUPS[group].description})`
      : `Without the autoencoder the adversarial decoder does not help`,
    source: "Table 3",
    paper: `${paperWithout.toFixed(2)} without, ${paperWith.toFixed(2)} with adversarial training`,
    paperValue: paperWith - paperWithout,
    groups: [group],
    measure(runs, scale) {
      const included = includedRuns(runs[group], scale).filter((r) => r.adversarial);
      const gains = included.map((r) => r.adversarial!.metric - r.regular!.metric);
      const estimate = bootstrap(gains, { seed: SEED });
      return {
        estimate,
        passed: helps ? estimate.low > 0 : !(estimate.low > 0),
        contradicted: helps ? estimate.high < 0 : estimate.low > 0,
        details: {
          "without adversarial": bootstrap(included.map((r) => r.regular!.metric)).value,
          "with adversarial": bootstrap(included.map((r) => r.adversarial!.metric)).value,
          converged: convergence(runs[group]),
        },
      };
    },
    expectations: {
      quick: expectAtQuickScale(
        helps
          ? "mean gain with the 95% CI's lower bound > 0"
          : "no gain: the 95% CI's lower bound is not above 0",
        quickEvidence,
        quickExpect,
      ),
      paper: {
        expect: "reproduces",
        rule: helps
          ? "mean gain with the 95% CI's lower bound > 0"
          : "no gain: the 95% CI's lower bound is not above 0",
      },
    },
  };
}

/** Every Game of Life claim, in the paper's order. */
export const CLAIMS: Claim[] = [
  meanClaim(
    "table1-2-timesteps",
    "Same GoL and model timesteps (2) are highly interpretable",
    "Table 1, row 1",
    "t2",
    1.0,
    0.15,
  ),
  meanClaim(
    "table1-3-timesteps",
    "Same GoL and model timesteps (3) are highly interpretable",
    "Table 1, row 2",
    "t3",
    0.99,
    0.15,
  ),
  meanClaim(
    "table1-4-timesteps",
    "Same GoL and model timesteps (4) are highly interpretable",
    "Table 1, row 3",
    "t4",
    0.93,
    0.15,
    "seed base 20240530: mean 0.65 (CI 0.64..0.66) over 2 runs, neither near 99% final-state accuracy " +
      "(0.87, 0.86) after 4,500 steps: 4-step runs need far longer training than quick scale gives",
  ),
  timestepTrend,
  helpsClaim(
    "autoencoder-helps",
    "The autoencoder loss makes hidden states more interpretable",
    "Table 1, rows 2 and 4",
    "t3",
    "t3NoAutoencoder",
    "0.99 with vs 0.56 without the autoencoder",
    0.43,
  ),
  helpsClaim(
    "rnn-helps",
    "Sharing step weights (RNN) makes hidden states more interpretable",
    "Table 1, rows 2 and 5",
    "t3",
    "t3NoRnn",
    "0.99 shared vs 0.40 per-timestep weights",
    0.59,
  ),
  learningOrder,
  helpsClaim(
    "channels",
    "The base channel count beats 1.5x as many channels",
    "Section 3.1.1",
    "t3",
    "t3Wide",
    "20 channels improve the metric by 0.09 over larger numbers",
    0.09,
    "seed base 20240530: 16 channels beat 24 by 0.14 but the CI (-0.01..0.28) over 2 wide runs includes 0",
  ),
  helpsClaim(
    "encoder-decoder-layers",
    "1 encoder and decoder layer beat 3",
    "Section 3.1.1",
    "t3",
    "t3Deep",
    "1 layer improves the metric by 0.14 over 3",
    0.14,
    "seed base 20240530: 1 layer beats 3 by 0.11 but the CI (-0.22..0.44) over 2 deep runs includes 0",
  ),
  meanClaim(
    "table2-gol2-model3",
    "2 GoL steps imagined in 3 model timesteps",
    "Table 2, row 1",
    "g2m3",
    0.73,
    0.15,
  ),
  meanClaim(
    "table2-gol3-model2",
    "3 GoL steps imagined in 2 model timesteps",
    "Table 2, row 2",
    "g3m2",
    0.74,
    0.15,
  ),
  adversarialClaim("table3-gol2-model3", "g2m3", 0.58, 0.65, true),
  adversarialClaim(
    "table3-gol3-model2",
    "g3m2",
    0.15,
    0.71,
    true,
    "seed base 20240530: the adversarial decoder lowered the metric by 0.07 (CI -0.15..0.01) over 2 runs; " +
      "seed base 7: by 0.04 (CI -0.04..-0.03). At quick scale the regular decoder already scores above 1",
    "not reproduced",
  ),
  adversarialClaim("table3-no-rnn", "t3NoRnn", 0.11, 0.40, true),
  adversarialClaim("table3-no-autoencoder", "t3NoAutoencoder", 0.44, 0.43, false),
];
