/**
 * `reports/REPORT.md`: every claim's paper value next to ours, with CIs, run counts,
 * convergence and verdicts, the learning-order curves, imagination pictures and the
 * environment, all from the run store (training only what is missing).
 *
 * @module
 */
import { metricBaselines } from "../claims/baselines.ts";
import { CLAIMS } from "../claims/claims.ts";
import { groupConfig, type GroupId, GROUPS, type Scale } from "../claims/groups.ts";
import { type ClaimOutcome, measureClaim, verdictOf } from "../claims/run.ts";
import { activeBackend, initBackend } from "../backend/backend.ts";
import { runSequences, stateOf } from "../gol/life.ts";
import { ensureRuns } from "../runs/pool.ts";
import { RunStore } from "../runs/store.ts";
import { groupSpecs } from "../claims/groups.ts";
import { deriveSeed } from "../stats/rng.ts";
import { decodeSequences } from "../train/evaluate.ts";
import { loadGolRun } from "../train/gol_runs.ts";
import type { TrainResult } from "../train/train.ts";
import { imaginationFigure } from "./figures.ts";
import { lineChart } from "./chart.ts";

/** Extra report sections (chess, LSTM) contributed by other modules. */
export type ReportSection = (outDir: string) => Promise<string>;

const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

function verdict(outcome: ClaimOutcome): string {
  const words = verdictOf(outcome.measurement);
  const shown = words === "inconclusive" ? words : `**${words}**`;
  return `${shown} (test expects: ${outcome.expectation.expect})`;
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

async function drawRun(
  store: RunStore,
  groupId: GroupId,
  scale: Scale,
  base: number,
  outDir: string,
): Promise<string> {
  const spec = groupSpecs(GROUPS[groupId], scale, base)[0];
  const stored = store.read<TrainResult>(spec);
  if (!stored) return "";
  const config = groupConfig(GROUPS[groupId], scale);
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
 * Writes the report and its figures into `outDir` and returns the Markdown.
 *
 * @example
 * ```ts
 * await writeReport("reports", { scale: "quick", seedBase: 20240530 });
 * ```
 */
export async function writeReport(
  outDir: string,
  options: { scale: Scale; seedBase: number; sections?: ReportSection[] },
): Promise<string> {
  const started = performance.now();
  await Deno.mkdir(outDir, { recursive: true });
  const backend = activeBackend() ?? await initBackend();
  // All runs of all claims in one pool, so the workers stay busy across groups.
  const allSpecs = (Object.keys(GROUPS) as GroupId[]).flatMap((id) =>
    groupSpecs(GROUPS[id], options.scale, options.seedBase)
  );
  await ensureRuns(allSpecs, { label: "reproduce" });
  const outcomes: ClaimOutcome[] = [];
  const claimSeconds: Record<string, number> = {};
  for (const claim of CLAIMS) {
    const t0 = performance.now();
    outcomes.push(await measureClaim(claim, { scale: options.scale, seedBase: options.seedBase }));
    claimSeconds[claim.id] = (performance.now() - t0) / 1000;
  }
  const store = new RunStore();
  const lines: string[] = [];
  const reproduced = outcomes.filter((o) => o.measurement.passed).length;
  lines.push(
    "# imagination-lens report",
    "",
    `Reproduction of *Visualizing Neural Network Imagination* (Wichers et al., 2024) at **${options.scale}** scale, ` +
      `seed base **${options.seedBase}** (\`IMAGINATION_SEED_BASE\`), backend **${backend.name}** (${backend.detail}). ` +
      `Every number below is measured from the run store; none is written by hand.`,
    "",
    `**${reproduced} of ${outcomes.length}** Game of Life claims reproduced at this scale.`,
    "",
  );
  if (options.scale === "quick") {
    const base = groupConfig(GROUPS.t3, "quick");
    lines.push(
      "## What quick scale is",
      "",
      `Boards ${base.model.boardSize}x${base.model.boardSize}, ${base.model.encodedSize} channels, ${base.model.timestepLayers} conv layers per step, ` +
        `batch ${base.train.batchSize}, Adam at ${base.train.learningRate} (the reference uses 1e-3; at quick scale's short budget 1e-3 left ` +
        `intermediate states undecodable and 1e-2 diverged), at most ${base.train.maxSteps} steps, then ${base.train.freshDecoderSteps} steps of a fresh ` +
        `decoder and ${base.train.adversarialSteps} adversarial steps; the metric on ${base.train.evalSequences} held-out sequences per run ` +
        `(the paper: 20x20, 20 channels, up to 120,000 steps, 10,000 sequences). Quick runs stop long before 99% final-state ` +
        `accuracy, so every run counts (the paper keeps only runs that reached 99%); the convergence rate is shown. ` +
        `Small boards die out and repeat states, which Eq. 1 credits twice: the table of reference points below says what a ` +
        `perfect imagination and trivial decoders score on each configuration's data.`,
      "",
    );
  }
  const tables: [string, string[]][] = [
    ["Table 1 and the autoencoder / RNN / hyperparameter claims", [
      "table1-2-timesteps",
      "table1-3-timesteps",
      "table1-4-timesteps",
      "table1-trend",
      "autoencoder-helps",
      "rnn-helps",
      "channels",
      "encoder-decoder-layers",
      "learning-order",
    ]],
    ["Table 2: different GoL and model timesteps", ["table2-gol2-model3", "table2-gol3-model2"]],
    ["Table 3: adversarial training", [
      "table3-gol2-model3",
      "table3-gol3-model2",
      "table3-no-rnn",
      "table3-no-autoencoder",
    ]],
  ];
  for (const [title, ids] of tables) {
    lines.push(
      `## ${title}`,
      "",
      "| claim | paper | ours | 95% CI | runs | details | rule | verdict |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const id of ids) {
      const o = outcomes.find((x) => x.claim.id === id)!;
      const e = o.measurement.estimate;
      const details = Object.entries(o.measurement.details)
        .map(([k, v]) => `${k}: ${typeof v === "number" ? fmt(v) : v}`).join("; ");
      lines.push(
        `| ${o.claim.title} (${o.claim.source}) | ${o.claim.paper} | ${fmt(e.value)} | ${
          fmt(e.low)
        }..${fmt(e.high)} | ${e.n} | ${details} | ${o.expectation.rule} | ${verdict(o)} |`,
      );
    }
    lines.push("");
  }
  const notReproduced = outcomes.filter((o) => !o.measurement.passed);
  if (notReproduced.length > 0) {
    lines.push(
      "## Not reproduced at this scale",
      "",
      "Inconclusive: the 95% CI allows both the paper's statement and its opposite (quick scale has 2-4 runs per " +
        "configuration). Contradicted: the opposite of the paper's statement holds at 95%.",
      "",
    );
    for (const o of notReproduced) {
      const e = o.measurement.estimate;
      lines.push(
        `- **${o.claim.title}** (${o.claim.source}; paper: ${o.claim.paper}): ${
          verdictOf(o.measurement)
        }. Measured now: ${fmt(e.value)} ` +
          `(95% CI ${fmt(e.low)}..${
            fmt(e.high)
          }, ${e.n} runs) against the rule "${o.expectation.rule}".` +
          (o.expectation.evidence
            ? ` Recorded when the expectation was set: ${o.expectation.evidence}.`
            : ""),
      );
    }
    lines.push("");
  }
  lines.push(
    "## Reference points of the metric",
    "",
    "| group | configuration | perfect imagination | all-dead decoder | copy input | copy final state | our mean |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const id of Object.keys(GROUPS) as GroupId[]) {
    const config = groupConfig(GROUPS[id], options.scale);
    const b = metricBaselines(config.model, 1000, deriveSeed(options.seedBase, `baselines-${id}`));
    const runs = outcomes.flatMap((o) => o.runs[id] ?? []);
    const mean = runs.length ? runs.reduce((s, r) => s + (r.metric ?? NaN), 0) / runs.length : NaN;
    lines.push(
      `| ${id} | ${GROUPS[id].description} | ${fmt(b.perfect)} | ${fmt(b.allDead)} | ${
        fmt(b.copyInput)
      } | ${fmt(b.copyFinal)} | ${fmt(mean)} |`,
    );
  }
  lines.push("");
  const t3 = outcomes.find((o) => o.claim.id === "learning-order")!;
  await Deno.writeTextFile(`${outDir}/learning_order.svg`, learningCurves(t3.runs.t3));
  lines.push(
    "## Learning order",
    "",
    "![decode accuracy of each model index over training](learning_order.svg)",
    "",
    `*Mean over ${t3.runs.t3.length} 3-timestep runs: per-cell accuracy of the decoded h(t) against GoL state s(t+1) on held-out boards.*`,
    "",
    "## What the networks imagine",
    "",
  );
  for (const id of ["t3", "t3NoAutoencoder", "g2m3"] as GroupId[]) {
    const figure = await drawRun(store, id, options.scale, options.seedBase, outDir);
    if (figure) lines.push(figure, "");
  }
  for (const section of options.sections ?? []) lines.push(await section(outDir), "");
  lines.push(
    "## Environment",
    "",
    `- backend: ${backend.name} (TF.js ${backend.tfjsVersion}, ${backend.detail})`,
    `- Deno ${Deno.version.deno}, V8 ${Deno.version.v8}, ${Deno.build.os}/${Deno.build.arch}, ${navigator.hardwareConcurrency} cores`,
    `- scale ${options.scale}, seed base ${options.seedBase}`,
    `- report written in ${fmt((performance.now() - started) / 1000, 0)} s`,
    "",
    "| claim | training time of its runs (s, summed) | wall time of this report's step (s) |",
    "| --- | --- | --- |",
    ...outcomes.map((o) =>
      `| ${o.claim.id} | ${fmt(o.trainingSeconds, 0)} | ${fmt(claimSeconds[o.claim.id], 1)} |`
    ),
    "",
  );
  const markdown = lines.join("\n");
  await Deno.writeTextFile(`${outDir}/REPORT.md`, markdown);
  return markdown;
}
