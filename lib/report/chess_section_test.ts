import assert from "node:assert/strict";
import { Chess } from "chess.js";
import { boardAfter, boardKey, boardOf } from "../chess/board.ts";
import { CHESS_CLAIM, chessRunSpecs, SHIPPED_POSITIONS } from "../chess/claim.ts";
import { expectationOf } from "../claims/preregistration.ts";
import { evaluateClaims } from "../claims/protocol.ts";
import { type ChessRunResult, type DecoderMeasures, projectPath } from "../chess/study.ts";
import { initBackend } from "../backend/backend.ts";
import { TINY_NET } from "../chess/net/build_test_data.ts";
import { createChessNet } from "../chess/net/model.ts";
import { exportChessNet } from "../chess/net/onnx_export.ts";
import { RunStore } from "../runs/store.ts";
import { createRng } from "../stats/rng.ts";
import { chessReportSection } from "./chess_section.ts";

const LAYERS = ["input", "block0", "block1", "block2", "block3", "block4", "block5"];

function measures(successor: number): DecoderMeasures {
  return {
    layers: LAYERS.map((layer, l) => ({
      layer,
      accuracyInput: 1 - l * 0.05,
      accuracyPostMove: 0.9 + l * 0.01,
      valid: 0.5,
      successor: l === 0 || l === 6 ? 0.4 : successor,
      chosenSuccessor: 0.1,
      equalsInput: l === 0 ? 0.9 : 0.1,
      pieceChange: 0.2,
    })),
    inputAccuracy: [0.995, 1, 0.999],
    trunkPostMoveAccuracy: [1, 1, 0.99],
    changedSquareAccuracy: 0.8,
    intermediateSuccessor: [successor, successor, successor],
  };
}

const chess = new Chess();
const input = boardKey(boardOf(chess)), postMove = boardKey(boardAfter(chess, "e2e4"));

function result(
  successor: number,
  trunk: { postMove: number[]; changed: number } = { postMove: [1, 1, 0.99], changed: 0.8 },
): ChessRunResult {
  const regular = measures(successor);
  return {
    network: {
      source: "fixtures/chess/network.onnx",
      sha256: "0",
      layers: LAYERS,
      channels: LAYERS.map(() => 32),
    },
    positions: { train: 10, eval: 3 },
    copyAccuracy: [62 / 64, 62 / 64, 62 / 64],
    regular: {
      ...regular,
      trunkPostMoveAccuracy: trunk.postMove,
      changedSquareAccuracy: trunk.changed,
    },
    adversarial: measures(successor / 2),
    samples: [{
      fen: chess.fen(),
      move: "e2e4",
      input,
      postMove,
      decoded: { regular: LAYERS.map(() => input), adversarial: LAYERS.map(() => postMove) },
    }],
    seconds: { activations: 1, decoder: 1, adversarial: 1, evaluate: 1, total: 4 },
    backend: { name: "cpu", tfjsBackend: "cpu", tfjsVersion: "4.22.0", detail: "test" },
  };
}

// The shipped network's claim, evaluated on stored fake runs.
async function chessOutcomes(root: string) {
  const context = { scale: "quick" as const, seedBase: 7, store: new RunStore(`${root}/runs`) };
  for (const spec of await chessRunSpecs("quick", 7)) await context.store.write(spec, result(0));
  const outcomes = await evaluateClaims(
    [CHESS_CLAIM],
    { ...context, quiet: true },
    expectationOf,
  );
  return { context, outcomes };
}

Deno.test("the chess section reports stored runs with a verdict, a table and its figures", async () => {
  const root = Deno.makeTempDirSync();
  const { context, outcomes } = await chessOutcomes(root);
  const markdown = await chessReportSection(
    outcomes,
    `${root}/reports`,
    context,
    `${root}/no-strengths`,
  );
  assert.match(markdown, /Verdict: reproduced\./);
  assert.doesNotMatch(markdown, /against network strength/);
  assert.match(markdown, /\| block5 \(final trunk\) \|/);
  // Each decoder run on its own, rates with exact intervals over its 3 held-out positions
  // (0 of 3: Clopper-Pearson upper bound 1 - 0.025^(1/3) = 70.8%).
  assert.match(markdown, /Per decoder training run \(run 1 \/ run 2;/);
  assert.match(
    markdown,
    /\| block2 \| .* \| 0\.0% \(0\.0%-70\.8%\) \/ 0\.0% \(0\.0%-70\.8%\) \|\n/,
  );
  for (const file of ["chess_regular_decodings.png", "chess_adversarial_layers.png"]) {
    const png = Deno.readFileSync(`${root}/reports/${file}`);
    assert.deepEqual(Array.from(png.subarray(1, 4)), [80, 78, 71], `${file} is a PNG`);
    assert.match(markdown, new RegExp(`\\(${file}\\)`));
  }
  Deno.removeSync(root, { recursive: true });
});

Deno.test("the chess section shows control 2 against network strength, one row per network", async () => {
  await initBackend("wasm");
  const root = Deno.makeTempDirSync();
  const { context, outcomes } = await chessOutcomes(root);
  const strengths = `${root}/strengths`;
  // Three networks; the study ran on two: one fails control 2 (the gap's interval reaches
  // below 0), one passes.
  const gaps: Record<number, { postMove: number[]; changed: number } | null> = {
    400: null,
    50: { postMove: [0.95, 1, 0.975], changed: 0.3 },
    100: { postMove: [1, 1, 1], changed: 0.75 },
  };
  for (const [steps, trunk] of Object.entries(gaps)) {
    const dir = `${strengths}/${steps}`;
    Deno.mkdirSync(dir, { recursive: true });
    const net = createChessNet(TINY_NET, createRng(Number(steps)));
    Deno.writeFileSync(`${dir}/network.onnx`, exportChessNet(net));
    const heldOut = { positions: 9, network: Number(steps) / 1000, randomLegalMove: 0.05 };
    Deno.writeTextFileSync(
      `${dir}/network.json`,
      JSON.stringify({
        training: { steps: Number(steps) },
        agreement: { heldOut: { ...heldOut, topMoveProbability: 0.25 } },
      }),
    );
    if (!trunk) continue;
    const specs = await chessRunSpecs("quick", 7, { network: `${dir}/network.onnx` });
    for (const spec of specs) await context.store.write(spec, result(0, trunk));
  }
  Deno.mkdirSync(`${strengths}/not-a-network`);

  const markdown = await chessReportSection(outcomes, `${root}/reports`, context, strengths);
  const rows = markdown.split("\n").filter((line) => /^\| \d+ \|/.test(line));
  assert.equal(rows.length, 3);
  // Pooled over 2 runs x 3 positions: gains 0.95, 1, 0.975 less 62/64 copied; mean 0.6%,
  // t interval with 5 degrees of freedom -1.7% to +3.0%.
  assert.equal(
    rows[0],
    "| 50 | 5.0% (random legal move 5.0%) | 0.25 | +0.6% (-1.7% to +3.0%) | 30.0% | failed |",
  );
  assert.equal(
    rows[1],
    "| 100 | 10.0% (random legal move 5.0%) | 0.25 | +3.1% (+3.1% to +3.1%) | 75.0% | passed |",
  );
  assert.equal(
    rows[2],
    `| 400 | 40.0% (random legal move 5.0%) | 0.25 | not run: \`deno task chess:study --network ${strengths}/400/network.onnx --scale quick --seed-base 7\` | - | - |`,
  );

  // With the build's own positions beside the networks, the curve reads the runs on those
  // positions: the runs above (on the shipped positions) no longer count, and the command to
  // run names the positions.
  Deno.copyFileSync(projectPath(SHIPPED_POSITIONS), `${strengths}/positions.json`);
  // None is studied on them, so the section says so in a line with the commands, and no table.
  const withPositions = await chessReportSection(outcomes, `${root}/reports`, context, strengths);
  assert.equal(withPositions.split("\n").filter((line) => /^\| \d+ \|/.test(line)).length, 0);
  assert.match(
    withPositions,
    /3 networks of one training .* \(steps 50, 100, 400\); none is studied/,
  );
  for (const steps of [50, 100, 400]) {
    assert.ok(
      withPositions.includes(
        `\`deno task chess:study --network ${strengths}/${steps}/network.onnx ` +
          `--positions ${strengths}/positions.json --scale quick --seed-base 7\``,
      ),
      `${steps}`,
    );
  }
  Deno.removeSync(root, { recursive: true });
});
