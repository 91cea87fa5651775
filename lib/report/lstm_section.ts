/**
 * The report's Table 4 section (Section 3.2): per row the mean correlation of the decoded LSTM
 * states with its CI, beside the paper's value and the reference levels a reader needs to place
 * it (untrained LSTM, copying the input, readouts trained on the true states), and a
 * Figure-1-style picture.
 *
 * @module
 */
import { currentScale, type Scale, seedBase } from "../claims/groups.ts";
import { verdictOf } from "../claims/run.ts";
import {
  measureTable4Rows,
  QUICK_RUNS_PER_ROW,
  TABLE4_ROWS,
  TABLE4_RULES,
  table4Config,
  type Table4Outcome,
} from "../claims/table4.ts";
import type { RunStore } from "../runs/store.ts";
import type { Estimate } from "../stats/bootstrap.ts";
import { imaginationFigure } from "./figures.ts";

const fmt = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : "-");
const ci = (e: Estimate) => (e.n > 1 ? `${fmt(e.low)}..${fmt(e.high)}` : "-");

function verdict(outcome: Table4Outcome): string {
  const words = verdictOf(outcome.measurement);
  const shown = words === "inconclusive" ? words : `**${words}**`;
  return `${shown} (test expects: ${outcome.expectation.expect})`;
}

/** The example drawn for a row: the first converged run's first held-out sequence. */
function exampleOf(outcome: Table4Outcome) {
  const run = outcome.results.find((r) =>
    r.status === "ok" && r.examples.length > 0 &&
    r.countMse < r.shortcutMse
  ) ??
    outcome.results.find((r) => r.examples.length > 0);
  return run?.examples[0];
}

/**
 * The Table 4 section as Markdown, with its PNG written into `outDir` (linked relative to it).
 * Runs come from the run store; missing ones are trained first, all rows in one pool.
 *
 * @example
 * ```ts
 * const markdown = await lstmReportSection("reports");
 * ```
 */
export async function lstmReportSection(
  outDir: string,
  options: { scale?: Scale; seedBase?: number; store?: RunStore } = {},
): Promise<string> {
  const scale = options.scale ?? currentScale();
  const base = options.seedBase ?? seedBase();
  const outcomes = await measureTable4Rows(TABLE4_ROWS, {
    scale,
    seedBase: base,
    store: options.store,
    label: "table 4",
  });
  const config = table4Config(TABLE4_ROWS[0], scale);
  const { model, train } = config;
  const reproduced = outcomes.filter((o) => o.measurement.passed).length;
  const lines: string[] = [
    "## Table 4: the LSTM that counts living cells (Section 3.2)",
    "",
    "Paper: a convolutional LSTM after the encoder is trained to predict the number of living cells after k Game of " +
    "Life steps; a decoder trained only to reconstruct the initial state from the encoder output is applied to the " +
    "LSTM's hidden states, and their correlation with the true states (initial state excluded, final included) is " +
    "0.73 to 0.93 depending on the row.",
    "",
    `Ours, at ${scale} scale (seed base ${base}): boards ${model.boardSize}x${model.boardSize}, ${model.encodedSize} ` +
    `channels, ${model.encoderLayers} encoder layer, ConvLSTM gates from 3x3 convolutions with h(0) = encoder ` +
    `output, count head of ${model.countLayers} conv layer + mean over cells + dense` +
    `${
      model.countAutoencoder ? ", also trained on h(0) (the reference's task autoencoder)" : ""
    }; ` +
    `batch ${train.batchSize}, Adam at ${train.learningRate}, at most ${train.maxSteps} steps ` +
    `(stop at count R^2 ${train.targetCountR2}), ${
      scale === "paper" ? "the paper's run counts" : `${QUICK_RUNS_PER_ROW} runs per row`
    }, ${train.evalSequences} held-out sequences per run.`,
    "",
    "Correlation: Pearson's r over pixels between the decoder's raw output and the true board, per sequence; each " +
    'true state s_2..s_m takes its best-correlated decoded LSTM state h(1)..h(n) (the paper credits states "in any ' +
    'order" because it is not clear which should match when the counts differ), averaged over the k true states, ' +
    "then over sequences. A constant board scores 1 if the decoding thresholded at 0.5 equals it, else 0. " +
    "*Aligned* pairs h(t) with s at index ceil(t k / n) instead. References, on the same runs: *chance* = the same " +
    "encoder and decoder on the LSTM as initialised; *copy input* = s_1 as every decoded state; *ceiling* = " +
    "per-timestep readouts of the decoder's form trained on the true intermediate states.",
    "",
    `Converged: ${
      scale === "paper"
        ? "held-out count R^2 >= 0.99"
        : "the held-out count prediction beats the density shortcut (a least-squares line from the live fraction of s_1)"
    }; only those runs count. Rule: ${outcomes[0].expectation.rule}.`,
    "",
    `**${reproduced} of ${outcomes.length}** rows reproduced at this scale.`,
    "",
    "| GoL | LSTM | paper (runs) | ours | 95% CI | converged | chance | copy input | ceiling | MCC | aligned | count R^2 (shortcut) | verdict |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const outcome of outcomes) {
    const { row, measurement: m, results } = outcome;
    const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    lines.push(
      `| ${row.golTimesteps} | ${row.lstmTimesteps} | ${row.paperMean} (${row.paperRuns}) | ${
        fmt(m.estimate.value)
      } | ${ci(m.estimate)} | ${m.converged} | ${fmt(m.references.chance.value)} | ${
        fmt(m.references.copyInput.value)
      } | ${fmt(m.references.ceiling.value)} | ${fmt(m.references.mcc.value)} | ${
        fmt(m.references.alignedPearson.value)
      } | ${fmt(meanOf(results.map((r) => r.countR2)))} (${
        fmt(meanOf(results.map((r) => r.shortcutR2)))
      }) | ${verdict(outcome)} |`,
    );
  }
  const recorded = outcomes.filter((o) => o.expectation.evidence);
  if (recorded.length > 0) {
    lines.push("", "Recorded evidence of rows expected not to reproduce at this scale:", "");
    for (const o of recorded) lines.push(`- ${o.row.id}: ${o.expectation.evidence}`);
  }
  const examples = outcomes.map(exampleOf);
  if (examples.every((e) => e !== undefined)) {
    Deno.mkdirSync(outDir, { recursive: true });
    const size = model.boardSize;
    const png = imaginationFigure(
      examples.map((e) => ({ truth: e!.truth, decoded: e!.decoded })),
      size,
      size,
    );
    const file = "lstm_imagination.png";
    await Deno.writeFile(`${outDir}/${file}`, png);
    lines.push(
      "",
      `![Table 4 rows: truth (blue) above decoded LSTM states (orange)](${file})`,
      "",
      `*One held-out sequence per row, top to bottom in the table's order (${
        outcomes.map((o) => `${o.row.golTimesteps}-${o.row.lstmTimesteps}`).join(", ")
      }): the true states s_1..s_m (blue frames) above the decoder's output on h(0)..h(n) (orange frames; ` +
        `grey = uncertain). As in the paper's Figure 1, the first decoded column matches because the decoder ` +
        `is trained on it. Sequence correlations: ${
          examples.map((e) => fmt(e!.pearson)).join(", ")
        }.*`,
    );
  }
  lines.push(
    "",
    `Pass-rule constants (${scale}): tolerance ${TABLE4_RULES[scale].tolerance}, at least ${
      TABLE4_RULES[scale].minRuns
    } converged runs.`,
  );
  return lines.join("\n");
}
