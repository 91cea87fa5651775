/**
 * The report's Table 4 section (Section 3.2): per row the mean correlation of the decoded LSTM
 * states with its CI, beside the paper's value and the reference levels a reader needs to place
 * it (untrained LSTM, copying the input, readouts trained on the true states), and a
 * Figure-1-style picture.
 *
 * @module
 */
import type { ClaimOutcome } from "../claims/protocol.ts";
import { countConverged, TABLE4_ROWS, table4Config, table4RunCount } from "../claims/table4.ts";
import { rulesOf } from "../claims/preregistration.ts";
import type { LstmResult } from "../lstm/train.ts";
import { imaginationFigure } from "./figures.ts";

const fmt = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : "-");

/** The example drawn for a row: the first converged run's first held-out sequence, else any. */
function exampleOf(results: readonly LstmResult[]) {
  const run = results.find((r) => countConverged(r) && r.examples.length > 0) ??
    results.find((r) => r.examples.length > 0);
  return run?.examples[0];
}

/**
 * The Table 4 section's explanation, per-row references and figure, as Markdown, with its PNG
 * written into `outDir` (linked relative to it); "" when the outcomes hold no Table 4 row. It
 * trains nothing: the outcomes come from the claims' evaluation.
 *
 * @example
 * ```ts
 * const markdown = await lstmReportSection(outcomes, "reports");
 * ```
 */
export async function lstmReportSection(
  allOutcomes: readonly ClaimOutcome[],
  outDir: string,
): Promise<string> {
  const outcomes = allOutcomes.filter((o) => TABLE4_ROWS.some((row) => row.id === o.claim.id));
  if (outcomes.length === 0) return "";
  const { scale, seedBase: base } = outcomes[0];
  const config = table4Config(TABLE4_ROWS[0], scale);
  const { model, train } = config;
  const lines: string[] = [
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
      scale === "paper"
        ? `the paper's run counts (at least ${
          rulesOf(scale).minIncludedRuns
        }, the fewest a verdict counts)`
        : `${table4RunCount(TABLE4_ROWS[0], scale)} runs per row`
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
    "Converged: held-out count R^2 >= 0.99; only those runs count.",
    "",
    "| GoL | LSTM | paper (runs) | ours | converged | chance | copy input | ceiling | above copy input | MCC | aligned | count R^2 (shortcut) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const outcome of outcomes) {
    const row = TABLE4_ROWS.find((r) => r.id === outcome.claim.id)!;
    const { estimate, details } = outcome.measurement;
    lines.push(
      `| ${row.golTimesteps} | ${row.lstmTimesteps} | ${row.paperMean} (${row.paperRuns}) | ${
        fmt(estimate.value)
      } | ${details.converged} | ${details.chance} | ${
        details["copy input"]
      } | ${details.ceiling} | ${
        details["above copy input"]
      } | ${details.MCC} | ${details.aligned} | ${details["count R^2 (shortcut)"]} |`,
    );
  }
  const examples = outcomes.map((o) => exampleOf(o.results as LstmResult[]));
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
        outcomes.map((o) => o.claim.id.replace("table4-", "")).join(", ")
      }): the true states s_1..s_m (blue frames) above the decoder's output on h(0)..h(n) (orange frames; ` +
        `grey = uncertain). As in the paper's Figure 1, the first decoded column matches because the decoder ` +
        `is trained on it. Sequence correlations: ${
          examples.map((e) => fmt(e!.pearson)).join(", ")
        }.*`,
    );
  }
  return lines.join("\n");
}
