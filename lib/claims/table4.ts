/**
 * Table 4 of the paper: the mean correlation between the true Game of Life states and the
 * states decoded from a cell-counting ConvLSTM's hidden activations, per (GoL timesteps, LSTM
 * timesteps) row. A row is data (the paper's value and run count) and becomes a claim of the one
 * protocol (`protocol.ts`); its expectations are pre-registered with the others.
 *
 * Inclusion ("the count prediction converged"), at every scale: the held-out count R^2 reached
 * 0.99, the analogue of the paper's 99% final-state rule for the RNN.
 *
 * Rule (the mean rule every mean claim uses, `rules.ts`): the t interval of the mean correlation
 * of the converged runs within the paper's value +- the scale's tolerance, and the trained
 * decoder above copying the input (paired t interval above 0). The trivial decoders are the
 * untrained LSTM (chance) and copying the input; when one reaches the paper's value minus the
 * tolerance the row is untested. Readouts trained on the true intermediate states (ceiling) are
 * shown beside: they say whether a low score means the states are absent or only unread.
 *
 * @module
 */
import type { RunSpec } from "../runs/store.ts";
import { type Interval, meanInterval } from "../stats/intervals.ts";
import { type LstmRunConfig, PAPER_LSTM_CONFIG, QUICK_LSTM_CONFIG } from "../lstm/config.ts";
import type { CorrelationScores } from "../lstm/score.ts";
import type { LstmResult } from "../lstm/train.ts";
import { runSeeds } from "./groups.ts";
import { rulesOf } from "./preregistration.ts";
import type { Claim, Measurement, Scale } from "./protocol.ts";
import { meanRule } from "./rules.ts";

/** One row of Table 4. */
export interface Table4Row {
  /** Id, also the claim test's name ("table4-gol2-lstm3"). */
  id: string;
  /** Game of Life steps k. */
  golTimesteps: number;
  /** LSTM timesteps n. */
  lstmTimesteps: number;
  /** The paper's mean correlation. */
  paperMean: number;
  /** The paper's number of runs. */
  paperRuns: number;
}

/**
 * Runs per row at quick scale, and at faithful scale, which reuses quick's Table 4 settings
 * (paper scale: the paper's count of each row); never fewer than the scale's pre-registered
 * minimum of counted runs, or a row could only ever be untested (`table4RunCount`).
 */
export const QUICK_RUNS_PER_ROW = 3;

// The faithful scale sizes the Game of Life claims; Table 4 keeps the quick settings there.
const TABLE4_BASES: Record<Scale, LstmRunConfig> = {
  quick: QUICK_LSTM_CONFIG,
  faithful: QUICK_LSTM_CONFIG,
  paper: PAPER_LSTM_CONFIG,
};

function row(
  paper: Pick<Table4Row, "golTimesteps" | "lstmTimesteps" | "paperMean" | "paperRuns">,
): Table4Row {
  return { id: `table4-gol${paper.golTimesteps}-lstm${paper.lstmTimesteps}`, ...paper };
}

/** The seven rows of Table 4, in the paper's order. */
export const TABLE4_ROWS: Table4Row[] = [
  row({ golTimesteps: 2, lstmTimesteps: 2, paperMean: 0.79, paperRuns: 8 }),
  row({ golTimesteps: 2, lstmTimesteps: 3, paperMean: 0.81, paperRuns: 5 }),
  row({ golTimesteps: 2, lstmTimesteps: 4, paperMean: 0.73, paperRuns: 9 }),
  row({ golTimesteps: 3, lstmTimesteps: 2, paperMean: 0.93, paperRuns: 7 }),
  row({ golTimesteps: 3, lstmTimesteps: 3, paperMean: 0.76, paperRuns: 8 }),
  row({ golTimesteps: 3, lstmTimesteps: 4, paperMean: 0.76, paperRuns: 4 }),
  row({ golTimesteps: 4, lstmTimesteps: 3, paperMean: 0.86, paperRuns: 3 }),
];

/**
 * Looks a row up by id.
 *
 * @example
 * ```ts
 * const row = table4Row("table4-gol2-lstm2");
 * ```
 */
export function table4Row(id: string): Table4Row {
  const found = TABLE4_ROWS.find((r) => r.id === id);
  if (!found) {
    throw new Error(
      `Table 4 row "${id}": expected one of ${TABLE4_ROWS.map((r) => r.id).join(", ")}`,
    );
  }
  return found;
}

/**
 * A row's run configuration at a scale.
 *
 * @example
 * ```ts
 * table4Config(table4Row("table4-gol3-lstm2"), "quick").model.lstmTimesteps; // 2
 * ```
 */
export function table4Config(tableRow: Table4Row, scale: Scale): LstmRunConfig {
  const base = TABLE4_BASES[scale];
  return {
    model: {
      ...base.model,
      golTimesteps: tableRow.golTimesteps,
      lstmTimesteps: tableRow.lstmTimesteps,
    },
    train: { ...base.train },
  };
}

/**
 * How many runs a row trains at a scale: the paper's count at paper scale, else
 * `QUICK_RUNS_PER_ROW`, raised to the scale's minimum of counted runs (`minIncludedRuns`) so that
 * a row whose runs all converge can be judged. The paper ran 3 and 4 networks for two rows, and
 * faithful scale asks for 5.
 *
 * @example
 * ```ts
 * table4RunCount(table4Row("table4-gol4-lstm3"), "paper"); // 5 (the paper ran 3)
 * ```
 */
export function table4RunCount(tableRow: Table4Row, scale: Scale): number {
  const base = scale === "paper" ? tableRow.paperRuns : QUICK_RUNS_PER_ROW;
  return Math.max(base, rulesOf(scale).minIncludedRuns);
}

/**
 * The run specs of a row: seeds drawn from the seed base as for every claim, so rows are paired
 * by seed and a new base gives unseen seeds.
 *
 * @example
 * ```ts
 * const specs = table4Specs(TABLE4_ROWS[0], "quick", 20240530);
 * ```
 */
export function table4Specs(tableRow: Table4Row, scale: Scale, base: number): RunSpec[] {
  const count = table4RunCount(tableRow, scale);
  const config = table4Config(tableRow, scale);
  return runSeeds(count, base).map((seed) => ({ kind: "lstm", config, seed, scale }));
}

/**
 * Whether a run counts: it finished and its count prediction reached R^2 0.99.
 *
 * @example
 * ```ts
 * const included = results.filter(countConverged);
 * ```
 */
export function countConverged(result: LstmResult): boolean {
  return result.status === "ok" && result.trained !== null && result.reachedTarget;
}

const f2 = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : "-");
const show = (e: Interval) => `${f2(e.value)} (${f2(e.low)}..${f2(e.high)})`;

/** Mean correlation, copy input and ceiling over every finished run, converged or not. */
function allRuns(results: readonly LstmResult[]): string {
  const finished = results.filter((r) => r.status === "ok" && r.trained !== null);
  const average = (pick: (r: LstmResult) => number) =>
    f2(finished.reduce((sum, r) => sum + pick(r), 0) / finished.length);
  return `${average((r) => (r.trained as CorrelationScores).pearson)} (copy input ${
    average((r) => r.copyInput.pearson)
  }, ceiling ${average((r) => r.ceiling?.pearson ?? NaN)}, ${finished.length} runs)`;
}

/**
 * Applies a row's statistic and rule to its runs.
 *
 * @example
 * ```ts
 * const measurement = measureTable4(row, results, "quick");
 * ```
 */
export function measureTable4(
  tableRow: Table4Row,
  results: readonly LstmResult[],
  scale: Scale,
): Measurement {
  const rules = rulesOf(scale);
  const included = results.filter(countConverged);
  const of = (pick: (r: LstmResult) => number) => meanInterval(included.map(pick), rules);
  const trained = (r: LstmResult) => (r.trained as CorrelationScores).pearson;
  const chance = (r: LstmResult) => (r.chance as CorrelationScores).pearson;
  const trivialOf = (r: LstmResult) => Math.max(chance(r), r.copyInput.pearson);
  const trivial = of(trivialOf).value;
  const outcome = meanRule(included.map(trained), {
    paperValue: tableRow.paperMean,
    tolerance: rules.meanTolerance,
    trivial,
    total: results.length,
  }, rules);
  const aboveCopyInput = of((r) => trained(r) - r.copyInput.pearson);
  // Near the paper's value but not above copying the input: not shown to imagine anything.
  const verdict = outcome.verdict === "reproduced" && !(aboveCopyInput.low > 0)
    ? "inconclusive"
    : outcome.verdict;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    ...outcome,
    verdict,
    rule: `${outcome.rule}; above copy input (paired CI above 0)`,
    normalised: of((r) => (trained(r) - trivialOf(r)) / (1 - trivialOf(r))),
    trivial,
    perfect: 1,
    runs: { included: included.length, total: results.length },
    details: {
      converged: `${included.length}/${results.length}`,
      chance: show(of(chance)),
      "copy input": show(of((r) => r.copyInput.pearson)),
      ceiling: show(of((r) => r.ceiling?.pearson ?? NaN)),
      "above copy input": show(aboveCopyInput),
      MCC: show(of((r) => (r.trained as CorrelationScores).mcc)),
      aligned: show(of((r) => (r.trained as CorrelationScores).alignedPearson)),
      "all runs, counted or not": allRuns(results),
      "count R^2 (shortcut)": `${f2(mean(results.map((r) => r.countR2)))} (${
        f2(mean(results.map((r) => r.shortcutR2)))
      })`,
    },
  };
}

/**
 * A row as a claim of the one protocol.
 *
 * @example
 * ```ts
 * const claim = table4Claim(table4Row("table4-gol2-lstm2"));
 * ```
 */
export function table4Claim(tableRow: Table4Row): Claim<LstmResult> {
  return {
    id: tableRow.id,
    title:
      `Decoded LSTM states correlate with the true states (GoL ${tableRow.golTimesteps}, LSTM ${tableRow.lstmTimesteps})`,
    source: "Table 4",
    table: "Table 4: the LSTM that counts living cells (Section 3.2)",
    paper: `mean correlation ${tableRow.paperMean} over ${tableRow.paperRuns} runs`,
    paperValue: tableRow.paperMean,
    specs: (context) => Promise.resolve(table4Specs(tableRow, context.scale, context.seedBase)),
    measure: (results, context) => measureTable4(tableRow, results, context.scale),
  };
}

/** The seven rows as claims. */
export const TABLE4_CLAIMS: Claim<LstmResult>[] = TABLE4_ROWS.map(table4Claim);
