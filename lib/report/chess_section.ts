/**
 * The report's chess section (Section 3.3): the claim's verdict with its controls, the
 * per-layer measures as a table and a chart, and Figure-2-style pictures of decoded boards.
 *
 * @module
 */
import { boardFromKey } from "../chess/board.ts";
import {
  CHESS_CLAIM,
  CHESS_SCALES,
  CHESS_THRESHOLDS,
  chessRunSpecs,
  evaluateChessClaim,
  postMoveGains,
  STRENGTHS_DIR,
} from "../chess/claim.ts";
import type { Agreement } from "../chess/net/build.ts";
import { type ClaimOutcome, type Context, verdictText } from "../claims/protocol.ts";
import {
  type ChessRunResult,
  type DecodedSample,
  type DecoderMeasures,
  projectPath,
} from "../chess/study.ts";
import { meanInterval, proportionInterval } from "../stats/intervals.ts";
import { barChart } from "./chart.ts";
import { Canvas } from "./png.ts";

const CELL = 12;
const LIGHT: [number, number, number] = [240, 217, 181];
const DARK: [number, number, number] = [181, 136, 99];
// 5x7 capital letters for pawn, knight, bishop, rook, queen, king.
const GLYPHS = [
  ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."],
  ["#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#", "#...#"],
  ["####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."],
  ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"],
  [".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"],
  ["#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"],
];

/**
 * Draws a board key (side-to-move frame, rank 1 at the bottom): the side to move's pieces in
 * white letters, the opponent's in black, each with an outline of the other colour.
 */
function drawBoard(canvas: Canvas, x: number, y: number, key: string): void {
  const board = boardFromKey(key);
  canvas.fill(x - 1, y - 1, 8 * CELL + 2, 8 * CELL + 2, [90, 90, 90]);
  for (let rank = 0; rank < 8; rank++) {
    for (let file = 0; file < 8; file++) {
      const left = x + file * CELL, top = y + (7 - rank) * CELL;
      canvas.fill(left, top, CELL, CELL, (rank + file) % 2 === 0 ? DARK : LIGHT);
      const cls = board[rank * 8 + file];
      if (cls === 0) continue;
      const ours = cls <= 6;
      const glyph = GLYPHS[(cls - 1) % 6];
      const ink: [number, number, number] = ours ? [255, 255, 255] : [0, 0, 0];
      const edge: [number, number, number] = ours ? [0, 0, 0] : [255, 255, 255];
      const gx = left + 3, gy = top + 2;
      for (const [color, grow] of [[edge, 1], [ink, 0]] as const) {
        glyph.forEach((row, r) => {
          for (let c = 0; c < 5; c++) {
            if (row[c] === "#") {
              canvas.fill(gx + c - grow, gy + r - grow, 1 + 2 * grow, 1 + 2 * grow, color);
            }
          }
        });
      }
    }
  }
}

/** One picture: per sample a row of input, every layer's decoding, and the post-move board. */
function decodingsFigure(
  samples: readonly DecodedSample[],
  variant: string,
  layers: number,
): Uint8Array {
  const size = 8 * CELL, gap = 10, wide = size + gap;
  const columns = layers + 2;
  const canvas = new Canvas(gap + columns * wide + gap, gap + samples.length * wide);
  samples.forEach((sample, row) => {
    const y = gap + row * wide;
    drawBoard(canvas, gap, y, sample.input);
    sample.decoded[variant].forEach((key, l) =>
      drawBoard(canvas, gap + (l + 1) * wide + gap / 2, y, key)
    );
    drawBoard(canvas, gap + (layers + 1) * wide + gap, y, sample.postMove);
  });
  return canvas.png();
}

const CHART_MEASURES = [
  "accuracyInput",
  "accuracyPostMove",
  "valid",
  "successor",
  "pieceChange",
] as const;
const CHART_COLORS: [number, number, number][] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
];

/** Bars per layer: the five measures of {@link CHART_MEASURES}, 0 to 1. */
function measuresChart(measures: DecoderMeasures): Uint8Array {
  return barChart(
    measures.layers.map((layer) => layer.layer),
    CHART_MEASURES.map((name, m) => ({
      label: name,
      values: measures.layers.map((layer) => layer[name]),
      color: CHART_COLORS[m],
    })),
    { xLabel: "layer", yLabel: "fraction" },
  );
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** A share of positions with its exact 95% interval over the run's held-out positions. */
function shareWithInterval(rate: number, positions: number): string {
  const successes = Math.round(rate * positions);
  const { low, high } = proportionInterval(successes, positions);
  return `${percent(rate)} (${percent(low)}-${percent(high)})`;
}

/**
 * Per layer, each decoder training run on its own ("not consistently produced across ...
 * training runs" is a statement about runs): accuracies, and the valid-position and
 * legal-successor rates with exact (Clopper-Pearson) 95% intervals over held-out positions.
 */
function perRunTable(
  results: readonly ChessRunResult[],
  pick: (r: ChessRunResult) => DecoderMeasures,
): string[] {
  const runs = results.map((_, i) => `run ${i + 1}`).join(" / ");
  const layers = pick(results[0]).layers;
  return [
    `Per decoder training run (${runs}; rates with exact 95% intervals over each run's held-out positions):`,
    "",
    "| layer | accuracy vs input | accuracy vs post-move | valid position | legal successor |",
    "| --- | --- | --- | --- | --- |",
    ...layers.map((layer, l) => {
      const cell = (format: (r: ChessRunResult) => string) => results.map(format).join(" / ");
      return `| ${layer.layer} | ${cell((r) => percent(pick(r).layers[l].accuracyInput))} | ${
        cell((r) => percent(pick(r).layers[l].accuracyPostMove))
      } | ${cell((r) => shareWithInterval(pick(r).layers[l].valid, r.positions.eval))} | ${
        cell((r) => shareWithInterval(pick(r).layers[l].successor, r.positions.eval))
      } |`;
    }),
  ];
}

/** The parts of a network's build record (`network.json`) the strength curve shows. */
interface NetworkRecord {
  training: { steps: number };
  // Records written before the mean top-move probability was measured lack it.
  agreement: { heldOut: Omit<Agreement, "topMoveProbability"> & { topMoveProbability?: number } };
}

/**
 * Control 2 against network strength: one row per network that `chess:build --snapshots`
 * wrote into `root`, with its agreement with Stockfish and control 2 measured by the chess
 * study's runs of that network at the context's scale and seed base (read from the store, never
 * trained here). No rows, no table.
 */
async function strengthCurve(context: Context, root: string): Promise<string[]> {
  const folder = projectPath(root);
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(folder)];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const names = entries.filter((entry) => entry.isDirectory).map((entry) => entry.name);
  const records = names.flatMap((name) => {
    try {
      const text = Deno.readTextFileSync(`${folder}/${name}/network.json`);
      return [{
        network: `${root}/${name}/network.onnx`,
        record: JSON.parse(text) as NetworkRecord,
      }];
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
  }).sort((a, b) => a.record.training.steps - b.record.training.steps);
  if (records.length === 0) return [];
  // The build writes its own held-out and decoder positions beside the networks; the networks
  // trained on the shipped positions' games, so those are not held out for them.
  const positions = entries.some((entry) => entry.isFile && entry.name === "positions.json")
    ? `${root}/positions.json`
    : undefined;
  const positionsFlag = positions ? ` --positions ${positions}` : "";
  const { scale, seedBase } = context;
  const signed = (value: number) => `${value >= 0 ? "+" : ""}${percent(value)}`;
  const rows: string[] = [];
  const notRun: string[] = [];
  for (const { network, record } of records) {
    const { heldOut } = record.agreement;
    const head = `| ${record.training.steps} | ${percent(heldOut.network)} (random legal move ${
      percent(heldOut.randomLegalMove)
    }) | ${heldOut.topMoveProbability?.toFixed(2) ?? "-"} |`;
    const specs = await chessRunSpecs(scale, seedBase, { network, positions });
    const stored = await Promise.all(specs.map((spec) => context.store.read<ChessRunResult>(spec)));
    if (stored.some((run) => run === null)) {
      const command = `deno task chess:study --network ${network}${positionsFlag} ` +
        `--scale ${scale} --seed-base ${seedBase}`;
      notRun.push(command);
      rows.push(`${head} not run: \`${command}\` | - | - |`);
      continue;
    }
    const results = stored.map((run) => (run as { result: ChessRunResult }).result);
    const gap = meanInterval(results.flatMap(postMoveGains));
    const changed = results.reduce((sum, r) => sum + r.regular.changedSquareAccuracy, 0) /
      results.length;
    const control = evaluateChessClaim(results).controls[1];
    rows.push(
      `${head} ${signed(gap.value)} (${signed(gap.low)} to ${signed(gap.high)}) | ${
        percent(changed)
      } | ${control.passed ? "passed" : "failed"} |`,
    );
  }
  if (notRun.length === records.length) {
    // No network studied at this scale: say where they were, not a table of empty rows.
    const elsewhere = scale === "faithful"
      ? ""
      : " They are studied at faithful scale (reports/faithful/REPORT.md, runs in evidence/faithful/).";
    return [
      "### Control 2 against network strength",
      "",
      `${records.length} networks of one training stopped at several steps are in ${root}/ ` +
      `(steps ${records.map((r) => r.record.training.steps).join(", ")}); none is studied at ` +
      `scale ${scale} with seed base ${seedBase}.${elsewhere} To study them here: ` +
      notRun.map((command) => `\`${command}\``).join(", ") + ".",
      "",
    ];
  }
  return [
    "### Control 2 against network strength",
    "",
    `Networks of one training stopped at several steps (\`chess:build --snapshots\`, ${root}/), ` +
    `each studied at scale ${scale} with seed base ${seedBase}. Gap: the final trunk's ` +
    `accuracy on the board after the network's move less copying the input's, pooled over the ` +
    `runs' held-out positions, with its 95% t interval; changed squares: accuracy on the squares ` +
    `the move changes (mean over runs). Control 2 passes when every run's gap interval lies ` +
    `above 0 and changed squares reach ${percent(CHESS_THRESHOLDS.changedSquareAccuracy)}.`,
    "",
    "| steps | top-1 agreement with Stockfish (held-out) | mean top-move probability | control 2 gap (95% CI) | changed squares | control 2 |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ];
}

function averageLayers(
  results: readonly ChessRunResult[],
  pick: (r: ChessRunResult) => DecoderMeasures,
): DecoderMeasures {
  const first = pick(results[0]);
  return {
    ...first,
    layers: first.layers.map((layer, l) => {
      const averaged = { ...layer };
      for (
        const name of [
          "accuracyInput",
          "accuracyPostMove",
          "valid",
          "successor",
          "chosenSuccessor",
          "equalsInput",
          "pieceChange",
        ] as const
      ) {
        averaged[name] = results.reduce((sum, r) => sum + pick(r).layers[l][name], 0) /
          results.length;
      }
      return averaged;
    }),
  };
}

/**
 * The chess section's controls, per-layer measures and figures as Markdown, with its PNGs
 * written into `outDir` (linked relative to it); "" when the outcomes hold no chess claim.
 * When `strengthsDir` holds networks of several strengths, a table of control 2 against
 * network strength follows the controls. It trains nothing: the outcomes come from the claims'
 * evaluation, the strengths' runs from the context's store.
 *
 * @example
 * ```ts
 * const markdown = await chessReportSection(outcomes, "reports", context);
 * ```
 */
export async function chessReportSection(
  outcomes: readonly ClaimOutcome[],
  outDir: string,
  context: Context,
  strengthsDir: string = STRENGTHS_DIR,
): Promise<string> {
  const outcome = outcomes.find((o) => o.claim.id === CHESS_CLAIM.id);
  if (!outcome) return "";
  const { scale, seedBase: base } = outcome;
  const results = outcome.results as ChessRunResult[];
  const verdict = evaluateChessClaim(results);
  Deno.mkdirSync(outDir, { recursive: true });
  const variants = [
    { name: "regular", pick: (r: ChessRunResult) => r.regular },
    ...(results.every((r) => r.adversarial)
      ? [{ name: "adversarial", pick: (r: ChessRunResult) => r.adversarial! }]
      : []),
  ];
  const layers = results[0].network.layers;
  const lines: string[] = [
    `Paper: decoders applied to the intermediate residual blocks of a frozen AlphaZero network show no consistent ` +
    `human-interpretable board states or valid moves, with or without an adversarial loss.`,
    "",
    `Network: ${results[0].network.source} (SHA-256 ${results[0].network.sha256}), layers ${
      layers.join(", ")
    } ` +
    `(${results[0].network.channels[0]} channels). Scale ${scale}: ${
      CHESS_SCALES[scale].runs
    } decoder runs, ` +
    `${results[0].positions.train} training and ${
      results[0].positions.eval
    } held-out positions each, seed base ${base}.`,
    "",
    `**Verdict: ${verdictText(outcome.measurement)}${
      outcome.measurement.verdict === "untested"
        ? " (the statistic is shown for information only; " +
          'README, "Chess: what is and is not tested here", says what was tried and what would test it)'
        : ""
    }.** Intermediate decodings that are a legal successor of ` +
    `the input: ${percent(verdict.tested.value)} (95% CI ${percent(verdict.tested.low)} to ${
      percent(verdict.tested.high)
    }; ` +
    `threshold: upper bound below ${percent(CHESS_THRESHOLDS.successorRate)}). Regular decoder ${
      percent(verdict.regular.value)
    }` +
    (verdict.adversarial ? `, adversarial ${percent(verdict.adversarial.value)}` : "") + ".",
    "",
    "Positive controls (checked first; a failed control voids the verdict):",
    "",
    ...verdict.controls.map((c) =>
      `- ${c.passed ? "passed" : "**failed**"}: ${c.name}. ${c.detail}.`
    ),
    "",
    ...await strengthCurve(context, strengthsDir),
  ];
  for (const variant of variants) {
    const measures = averageLayers(results, variant.pick);
    lines.push(
      `### ${
        variant.name === "regular" ? "Regular" : "Adversarial"
      } decoder, per layer (mean over runs)`,
      "",
      "| layer | accuracy vs input | accuracy vs post-move | valid position | legal successor | the chosen move | = input | pieces appear/disappear |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      ...measures.layers.map((m, l) =>
        `| ${m.layer}${
          l === 0 ? " (input block)" : l === measures.layers.length - 1 ? " (final trunk)" : ""
        } | ${percent(m.accuracyInput)} | ${percent(m.accuracyPostMove)} | ${percent(m.valid)} | ${
          percent(m.successor)
        } | ${percent(m.chosenSuccessor)} | ${percent(m.equalsInput)} | ${percent(m.pieceChange)} |`
      ),
      "",
    );
    lines.push(...perRunTable(results, variant.pick), "");
    const chart = `chess_${variant.name}_layers.png`;
    const figure = `chess_${variant.name}_decodings.png`;
    Deno.writeFileSync(`${outDir}/${chart}`, measuresChart(measures));
    Deno.writeFileSync(
      `${outDir}/${figure}`,
      decodingsFigure(results[0].samples, variant.name, layers.length),
    );
    lines.push(
      `![per-layer measures, ${variant.name} decoder](${chart})`,
      "",
      `*Per layer (left to right: ${
        layers.join(", ")
      }), bars for accuracy vs input (blue), accuracy vs post-move ` +
        `board (orange), valid position (green), legal successor (red), pieces appearing or disappearing (purple); ` +
        `grid lines every 10%.*`,
      "",
      `![decoded boards, ${variant.name} decoder](${figure})`,
      "",
      `*Like the paper's Figure 2: each row is a held-out position; first the input board, then the decoding of ` +
        `every layer (${
          layers.join(", ")
        }), last the board after the network's move. Boards are in the side to move's ` +
        `frame (its pieces white, at the bottom). Moves: ${
          results[0].samples.map((s) => s.move).join(", ")
        }.*`,
      "",
    );
  }
  return lines.join("\n");
}
