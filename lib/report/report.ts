/**
 * `reports/REPORT.md`: rendered from measured claim outcomes, it trains nothing. A headline
 * counts the four verdicts; every claim's paper value stands next to ours with its interval,
 * minimum detectable effect, trivial-decoder and perfect references, normalised score, run
 * counts (counted, recorded, trained now), verdict and pre-registered expectation; then the
 * metric's reference points, learning-order curves, imagination pictures and the environment.
 *
 * @module
 */
import type { BackendInfo } from "../backend/backend.ts";
import { groupConfig, type GroupId, GROUPS, groupSpecs } from "../claims/groups.ts";
import { preregistration } from "../claims/preregistration.ts";
import {
  type ClaimOutcome,
  type Context,
  expectationText,
  type PendingClaim,
  type Scale,
  type Verdict,
  verdictText,
} from "../claims/protocol.ts";
import { claimTables } from "../claims/registry.ts";
import { runSequences, stateOf } from "../gol/life.ts";
import { runSeconds } from "../runs/timing.ts";
import type { Interval } from "../stats/intervals.ts";
import { decodeSequences } from "../train/evaluate.ts";
import { loadGolRun } from "../train/gol_runs.ts";
import { bestTrivial, bestTrivialCells } from "../train/references.ts";
import type { TrainResult } from "../train/train.ts";
import { lineChart } from "./chart.ts";
import { imaginationFigure } from "./figures.ts";

/**
 * Extra report sections (chess, LSTM) contributed by other modules, from the outcomes (and
 * runs beside the claims' own, read from the context's store).
 */
export type ReportSection = (
  outcomes: readonly ClaimOutcome[],
  outDir: string,
  context: Context,
) => Promise<string>;

const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : "-");
const interval = (e: Interval | undefined) =>
  e && Number.isFinite(e.low) ? `${fmt(e.low)}..${fmt(e.high)}` : "-";

function verdictCell(outcome: ClaimOutcome): string {
  const words = verdictText(outcome.measurement);
  const shown = outcome.measurement.verdict === "reproduced" ||
      outcome.measurement.verdict === "contradicted"
    ? `**${words}**`
    : words;
  return `${shown} (pre-registered: ${expectationText(outcome.expectation)}${
    outcome.asExpected ? "" : "; **differs**"
  })`;
}

const VERDICTS: readonly Verdict[] = ["reproduced", "contradicted", "inconclusive", "untested"];

/**
 * The headline: "R reproduced, C contradicted, I inconclusive, U untested of N claims", and the
 * claims still pending when only recorded runs were read.
 *
 * @example
 * ```ts
 * headline(outcomes); // "1 reproduced, 0 contradicted, 0 inconclusive, 22 untested of 23 claims"
 * headline(outcomes, pending); // "...; 20 pending (their runs are not all recorded yet)"
 * ```
 */
export function headline(
  outcomes: readonly ClaimOutcome[],
  pending: readonly PendingClaim[] = [],
): string {
  const count = (v: Verdict) => outcomes.filter((o) => o.measurement.verdict === v).length;
  const measured = `${VERDICTS.map((v) => `${count(v)} ${v}`).join(", ")} of ${
    outcomes.length + pending.length
  } claims`;
  return pending.length === 0
    ? measured
    : `${measured}; ${pending.length} pending (their runs are not all recorded yet)`;
}

/**
 * The backends of a claim's runs in words; several are flagged, since their numbers differ.
 *
 * @example
 * ```ts
 * backendsText({ wasm: 3 }); // "wasm (3 runs)"
 * ```
 */
export function backendsText(backends: Record<string, number>): string {
  const parts = Object.entries(backends).map(([name, runs]) => `${name} (${runs} runs)`);
  return parts.length > 1 ? `MIXED: ${parts.join(", ")}` : parts.join("");
}

/** The runs of a GoL group, read from the store (the claims' evaluation stored them all). */
async function groupResults(context: Context, id: GroupId): Promise<TrainResult[]> {
  const specs = groupSpecs(GROUPS[id], context.scale, context.seedBase);
  const stored = await Promise.all(specs.map((spec) => context.store.read<TrainResult>(spec)));
  return stored.map((run) => run?.result).filter((r): r is TrainResult => r !== undefined);
}

/** Learning-order curves (mean decode accuracy per model index over training) as SVG. */
function learningCurves(results: TrainResult[]): string {
  const first = results[0];
  const steps = first.trace.steps;
  const series = first.trace.accuracy.map((_, t) => ({
    label: t === 0 ? "h(0) vs s1" : `h(${t}) vs s${t + 1}`,
    points: steps.map((step, k) => {
      const values = results.map((r) => r.trace.accuracy[t][k]).filter((v) => v !== undefined);
      return [step, values.reduce((a, b) => a + b, 0) / values.length] as [number, number];
    }),
  }));
  return lineChart(series, {
    xLabel: "training step",
    yLabel: "decode accuracy (per cell)",
    yMin: 0.85,
    yMax: 1,
  });
}

async function drawRun(context: Context, groupId: GroupId, outDir: string): Promise<string> {
  const spec = groupSpecs(GROUPS[groupId], context.scale, context.seedBase)[0];
  const stored = await context.store.read<TrainResult>(spec);
  if (!stored) return "";
  const config = groupConfig(GROUPS[groupId], context.scale);
  const { model } = loadGolRun(stored.dir, config);
  const size = config.model.boardSize;
  const count = 4;
  const heldOut = runSequences(config.model, "eval", count, spec.seed);
  const outputs = decodeSequences(model, model.decoder, heldOut, 0, count);
  const per = config.model.modelTimesteps + 1, cells = size * size;
  const png = imaginationFigure(
    Array.from({ length: count }, (_, s) => ({
      truth: Array.from({ length: heldOut.states }, (_, t) => stateOf(heldOut, s, t)),
      decoded: Array.from(
        { length: per },
        (_, t) => outputs.subarray((s * per + t) * cells, (s * per + t + 1) * cells),
      ),
    })),
    size,
    size,
  );
  const file = `imagination_${groupId}.png`;
  await Deno.writeFile(`${outDir}/${file}`, png);
  return `![${GROUPS[groupId].description}: truth (blue) above decoded (orange)](${file})\n\n` +
    `*${
      GROUPS[groupId].description
    }, run seed ${spec.seed}: held-out sequences, ground truth (blue frames) above the ` +
    `decoder's output at every model timestep (orange frames; grey = uncertain).*`;
}

/**
 * Whether a run imagines: every intermediate model index is decoded at 98% per-cell accuracy or
 * more by the regular or the adversarial decoder (the learning order's 98%).
 */
function imagines(run: TrainResult): boolean {
  const decoders = [run.regular, run.adversarial].filter((d) => d !== null && d !== undefined);
  const T = run.regular ? run.regular.indexAccuracy.length - 1 : 0;
  return T > 1 &&
    Array.from({ length: T - 1 }, (_, i) => i + 1).every((t) =>
      decoders.some((d) => d!.indexAccuracy[t] >= 0.98)
    );
}

/** "k of n": converged runs that imagine, of the converged (bimodal outcomes hide in a mean). */
function imagining(runs: readonly TrainResult[]): string {
  const converged = runs.filter((r) => r.reachedTarget);
  return `${converged.filter(imagines).length} of ${converged.length}`;
}

/** Mean over runs and intermediate indices of a per-index accuracy; NaN when none. */
function intermediateMean(
  runs: readonly TrainResult[],
  perIndex: (run: TrainResult) => number[] | null | undefined,
): number {
  const values = runs.flatMap((run) => {
    const accuracy = perIndex(run);
    return accuracy ? accuracy.slice(1, -1) : [];
  });
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

function intermediateAccuracy(runs: readonly TrainResult[]): string {
  const fresh = intermediateMean(runs, (r) => r.fresh?.indexAccuracy);
  const ceiling = intermediateMean(runs, (r) => r.ceiling?.indexAccuracy);
  const trivial = intermediateMean(runs, (r) => r.references && bestTrivialCells(r.references));
  return `${fmt(fresh, 3)} / ${fmt(ceiling, 3)} / ${fmt(trivial, 3)}`;
}

/** Another scale's verdicts from its recorded runs, and the path of that scale's report. */
export interface BesideScale {
  /** The other scale. */
  scale: Scale;
  /** Its measured claims. */
  outcomes: readonly ClaimOutcome[];
  /** Its claims whose runs are not all recorded. */
  pending: readonly PendingClaim[];
  /** Its full report, relative to this one. */
  report: string;
}

/** Another scale's verdicts from its recorded runs, one row per claim. */
function besideSection(beside: BesideScale): string[] {
  const { scale, outcomes, pending, report } = beside;
  return [
    `## At ${scale} scale (recorded evidence)`,
    "",
    `**${headline(outcomes, pending)}.** From the runs recorded so far, training nothing; the ` +
    `full ${scale}-scale report, with its reference points and ceiling readouts, is [${report}](${report}).`,
    "",
    "| claim | paper | ours | 95% CI | best trivial / perfect | runs counted | verdict |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...outcomes.map((o) => {
      const m = o.measurement;
      return `| ${o.claim.title} (${o.claim.source}) | ${o.claim.paper} | ${
        fmt(m.estimate.value)
      } | ${interval(m.estimate)} | ${
        m.trivial === undefined ? "-" : `${fmt(m.trivial)} / ${fmt(m.perfect ?? NaN)}`
      } | ${m.runs.included} of ${m.runs.total} | ${verdictCell(o)} |`;
    }),
    ...pending.map((p) =>
      `| ${p.claim.title} (${p.claim.source}) | ${p.claim.paper} | - | - | - | ${p.recorded} of ${p.total} recorded | pending |`
    ),
    "",
  ];
}

/** What the faithful scale is, and how its settings were chosen. */
function faithfulScaleText(): string[] {
  const base = groupConfig(GROUPS.t3, "faithful");
  const { model, train } = base;
  return [
    "## What faithful scale is",
    "",
    `The paper's architecture and training rule (${model.encodedSize} channels, ${model.encoderLayers} encoder layer, ` +
    `${model.timestepLayers} conv layers per step, ${model.decoderLayers} decoder layer, Adam with decay, gradients clipped at ` +
    `${train.clipValue}, stop at ${
      train.targetAccuracy * 100
    }% final-state accuracy checked every ${train.evalInterval} steps) on ` +
    `${model.boardSize}x${model.boardSize} boards, batch ${train.batchSize}, Adam at ${train.learningRate}, at most ` +
    `${train.maxSteps} steps; then ${train.freshDecoderSteps} steps of a fresh decoder on {0, T}, ${train.adversarialSteps} ` +
    `adversarial steps and ${
      train.ceilingSteps ?? 0
    } steps of the ceiling readouts; the metric on ${train.evalSequences} ` +
    `held-out sequences per run (the paper: 20x20 boards, batch 128, Adam at 1e-3 in the reference code, up to 120,000 steps, 10,000 sequences). ` +
    `Every run is recorded under \`evidence/faithful/\` and re-verified by CI from its weights. The convergence rate ` +
    `of every configuration is the "converged" column of the reference table below.`,
    "",
  ];
}

/**
 * Writes the report and its figures into `outDir` from measured outcomes, and returns the
 * Markdown. It trains nothing: the outcomes come from `evaluateClaims`.
 *
 * @example
 * ```ts
 * const outcomes = await evaluateClaims(CLAIMS, context, expectationOf);
 * await writeReport(outcomes, context, { outDir: "reports", backend });
 * ```
 */
export async function writeReport(
  outcomes: readonly ClaimOutcome[],
  context: Context,
  options: {
    outDir: string;
    backend: BackendInfo;
    sections?: ReportSection[];
    seconds?: number;
    /** Claims not measured because their runs are not all recorded (`--recorded-only`). */
    pending?: readonly PendingClaim[];
    /**
     * Another scale's verdicts from its recorded runs only (the faithful evidence), shown in a
     * section of their own, with the path of that scale's full report.
     */
    beside?: BesideScale;
  },
): Promise<string> {
  const pending = options.pending ?? [];
  const { outDir, backend } = options;
  await Deno.mkdir(outDir, { recursive: true });
  const lines: string[] = [];
  const untested = outcomes.filter((o) => o.measurement.verdict === "untested");
  // Claims share runs: each run is counted once.
  const runs = new Map<string, boolean>();
  for (const o of outcomes) o.runDirs.forEach((dir, i) => runs.set(dir, o.wasRecorded[i]));
  const recorded = [...runs.values()].filter(Boolean).length;
  const trainedNow = runs.size - recorded;
  const prereg = preregistration(context.scale);
  lines.push(
    "# imagination-lens report",
    "",
    `Reproduction of *Visualizing Neural Network Imagination* (Wichers et al., 2024) at **${context.scale}** scale, ` +
      `seed base **${context.seedBase}** (\`IMAGINATION_SEED_BASE\`), backend **${backend.name}** (${backend.detail}). ` +
      `Every number below is measured from the run store; none is written by hand.`,
    "",
    `**${
      headline(outcomes, pending)
    }.** Runs read by the measured claims: ${recorded} recorded, ${trainedNow} trained now (each run once; claims share runs${
      pending.length > 0 ? "; the pending claims' recorded runs are counted in their list" : ""
    }).`,
    "",
  );
  if (untested.length > 0) {
    lines.push("Untested, with the reason:", "");
    for (const o of untested) lines.push(`- ${o.claim.id}: ${o.measurement.reason?.text}`);
    lines.push("");
  }
  if (pending.length > 0) {
    lines.push(
      "Pending: no verdict is taken from part of a claim's runs (the runs that finish first are " +
        "the fastest to converge, not a fair sample), so these wait for the sweep:",
      "",
      ...pending.map((p) => `- ${p.claim.id}: ${p.recorded} of ${p.total} runs recorded`),
      "",
    );
  }
  lines.push(
    "## How a verdict is reached",
    "",
    `Expectations and rule constants are pre-registered in \`lib/claims/preregistered/${context.scale}.json\` ` +
      `(tuning seed base: ${prereg.tuning.seedBase ?? "none"}). ${prereg.tuning.note}`,
    "",
    `- Inclusion, as in the paper, at every scale: only runs whose final state reached 99% per-cell accuracy count ` +
      `(Table 4: count R^2 0.99; learning order: the final state reached 98%). Fewer than ${prereg.rules.minIncludedRuns} ` +
      `counted runs in a group: **untested**.`,
    `- Intervals: Student t for means, Welch t for differences, Clopper-Pearson for shares, at ${
      Math.round(prereg.rules.level * 100)
    }%; their coverage at these run counts is checked by simulation (\`lib/stats/intervals_test.ts\`). ` +
      `MDE: the smallest true effect the comparison detects with 80% power at its n.`,
    `- Mean claims are two-sided: the interval must lie within the paper's value +- ${prereg.rules.meanTolerance}. ` +
      `Comparisons: the interval above 0, and untested when the MDE exceeds the paper's effect.`,
    `- Trivial decoders (all-dead, copy input, copy final, copy the nearer of input and final) are scored on the ` +
      `same held-out sequences as the network; when the best of them would pass, the claim is **untested**. ` +
      `*normalised* puts the best trivial decoder at 0 and a perfect imagination at 1. The perfect imagination ` +
      `pairs every output with the GoL state of its model index; when n > m - 2 that is not the metric's maximum ` +
      `(two outputs showing the one intermediate state score 1 + 0.5), so raw and normalised scores can exceed it.`,
    `- The metric is Eq. 1 as the paper words it: "we count the number of h_i outputs that match any s_j GoL state ` +
      `and divide it by the minimum between n and m - 2", and it "could be greater than 1 if n > m - 2". Each ` +
      `generated state counts at most once (its best match, half credit when that true state was matched before), ` +
      `so the score exceeds 1 only when n > m - 2.`,
    "",
  );
  if (context.scale === "quick") {
    const base = groupConfig(GROUPS.t3, "quick");
    lines.push(
      "## What quick scale is",
      "",
      `Boards ${base.model.boardSize}x${base.model.boardSize}, ${base.model.encodedSize} channels, ${base.model.timestepLayers} conv layers per step, ` +
        `batch ${base.train.batchSize}, Adam at ${base.train.learningRate}, at most ${base.train.maxSteps} steps, then ` +
        `${base.train.freshDecoderSteps} steps of a fresh decoder on {0, T} and ${base.train.adversarialSteps} adversarial steps; ` +
        `the metric on ${base.train.evalSequences} held-out sequences per run (the paper: 20x20, 20 channels, up to ` +
        `120,000 steps, 10,000 sequences). It is sized for CI on two cores; most of its runs stop before 99%, so most ` +
        `claims are untested here by design. The faithful scale is where they are tested.`,
      "",
    );
  }
  if (context.scale === "faithful") lines.push(...faithfulScaleText());
  const allClaims = [...outcomes.map((o) => o.claim), ...pending.map((p) => p.claim)];
  if (options.beside) lines.push(...besideSection(options.beside));
  for (const [title, claims] of claimTables(allClaims)) {
    const rows = outcomes.filter((o) => claims.includes(o.claim));
    lines.push(
      `## ${title}`,
      "",
      "| claim | paper | ours | 95% CI | MDE | best trivial / perfect | normalised | runs counted (recorded, trained now) | verdict |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const o of rows) {
      const m = o.measurement, e = m.estimate;
      lines.push(
        `| ${o.claim.title} (${o.claim.source}) | ${o.claim.paper} | ${fmt(e.value)} | ${
          interval(e)
        } | ${fmt(e.mde)} | ${
          m.trivial === undefined ? "-" : `${fmt(m.trivial)} / ${fmt(m.perfect ?? NaN)}`
        } | ${
          m.normalised ? `${fmt(m.normalised.value)} (${interval(m.normalised)})` : "-"
        } | ${m.runs.included} of ${m.runs.total} (${o.recorded}, ${o.trainedNow}) | ${
          verdictCell(o)
        } |`,
      );
    }
    for (const p of pending.filter((p) => claims.includes(p.claim))) {
      lines.push(
        `| ${p.claim.title} (${p.claim.source}) | ${p.claim.paper} | - | - | - | - | - | ` +
          `${p.recorded} of ${p.total} recorded | pending |`,
      );
    }
    lines.push("", "Rules and details:", "");
    for (const o of rows) {
      const details = Object.entries(o.measurement.details).map(([k, v]) => `${k}: ${v}`).join(
        "; ",
      );
      lines.push(`- **${o.claim.id}**: ${o.measurement.rule}.${details ? ` ${details}.` : ""}`);
    }
    lines.push("");
    for (const section of options.sections ?? []) {
      const markdown = await section(rows, outDir, context);
      if (markdown) lines.push(markdown, "");
    }
  }
  lines.push(
    "## Reference points of the metric",
    "",
    "Mean over each group's runs of Eq. 1 on its own held-out sequences. *Imagining*: converged " +
      "runs whose every intermediate model index is decoded at 98% per-cell accuracy or more " +
      "(regular or adversarial decoder); the outcome can be bimodal across seeds, which a mean " +
      "hides. *Ceiling*: one " +
      "readout per model index, of the fresh decoder's form, trained on that index's own true " +
      "state with the network frozen (faithful scale). Intermediate accuracy is the per-cell " +
      "accuracy at the model indices between input and output, for the fresh decoder trained on " +
      "{0, T}, for the ceiling readouts, and for the best trivial board (all-dead, input or final " +
      "state) at each index: a ceiling near the trivial floor means the intermediate state is " +
      "not there for a decoder of this size to read; a ceiling well above the fresh decoder " +
      "means it is there, represented differently.",
    "",
    "| group | configuration | converged | imagining (of converged) | perfect imagination | all-dead | copy input | copy final | copy nearer | best trivial | our mean (all runs) | ceiling Eq. 1 | intermediate accuracy: fresh / ceiling / trivial |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  const average = (values: number[]) =>
    values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
  for (const id of Object.keys(GROUPS) as GroupId[]) {
    const all = await groupResults(context, id);
    // A failed run (a diverged loss) has no scores, but it counts against convergence.
    const runs = all.filter((r) => r.references);
    const failed = all.filter((r) => r.status === "failed").length;
    const refs = runs.map((r) => r.references!);
    lines.push(
      `| ${id} | ${GROUPS[id].description} | ${
        all.filter((r) => r.reachedTarget).length
      } of ${all.length}${failed > 0 ? ` (${failed} failed: loss diverged or NaN)` : ""} | ${
        imagining(runs)
      } | ${fmt(average(refs.map((r) => r.perfect)))} | ${
        fmt(average(refs.map((r) => r.trivial.allDead)))
      } | ${fmt(average(refs.map((r) => r.trivial.copyInput)))} | ${
        fmt(average(refs.map((r) => r.trivial.copyFinal)))
      } | ${fmt(average(refs.map((r) => r.trivial.copyNearest)))} | ${
        fmt(average(refs.map(bestTrivial)))
      } | ${fmt(average(runs.map((r) => r.metric ?? NaN)))} | ${
        fmt(average(runs.flatMap((r) => r.ceiling ? [r.ceiling.metric] : [])))
      } | ${intermediateAccuracy(runs)} |`,
    );
  }
  lines.push("");
  const t3 = await groupResults(context, "t3");
  if (t3.length > 0) {
    await Deno.writeTextFile(`${outDir}/learning_order.svg`, learningCurves(t3));
    lines.push(
      "## Learning order",
      "",
      "![decode accuracy of each model index over training](learning_order.svg)",
      "",
      `*Mean over ${t3.length} 3-timestep runs: per-cell accuracy of the decoded h(t) against GoL state s(t+1) on held-out boards.*`,
      "",
    );
  }
  lines.push("## What the networks imagine", "");
  for (const id of ["t3", "t3NoAutoencoder", "g2m3"] as GroupId[]) {
    const figure = await drawRun(context, id, outDir);
    if (figure) lines.push(figure, "");
  }
  lines.push(
    "## Environment",
    "",
    `- backend: ${backend.name} (TF.js ${backend.tfjsVersion}, ${backend.detail})`,
    `- Deno ${Deno.version.deno}, V8 ${Deno.version.v8}, ${Deno.build.os}/${Deno.build.arch}, ${navigator.hardwareConcurrency} cores`,
    `- scale ${context.scale}, seed base ${context.seedBase}`,
    ...(options.seconds === undefined
      ? []
      : [`- wall time of this reproduction: ${fmt(options.seconds, 0)} s`]),
    "",
    "| claim | runs | training time of its runs (CPU-process seconds, summed) |",
    "| --- | --- | --- |",
    ...outcomes.map((o) =>
      `| ${o.claim.id} | ${o.results.length} | ${
        fmt(
          o.results.reduce((sum: number, r) => sum + (runSeconds(r) ?? 0), 0),
          0,
        )
      } |`
    ),
    "",
  );
  const markdown = lines.join("\n");
  await Deno.writeTextFile(`${outDir}/REPORT.md`, markdown);
  return markdown;
}
