import assert from "node:assert/strict";
import { Chess } from "chess.js";
import { boardAfter, boardKey, boardOf } from "../chess/board.ts";
import { CHESS_CLAIM, chessRunSpecs } from "../chess/claim.ts";
import { expectationOf } from "../claims/preregistration.ts";
import { evaluateClaims } from "../claims/protocol.ts";
import type { ChessRunResult, DecoderMeasures } from "../chess/study.ts";
import { RunStore } from "../runs/store.ts";
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

Deno.test("the chess section reports stored runs with a verdict, a table and its figures", async () => {
  const root = Deno.makeTempDirSync();
  const store = new RunStore(`${root}/runs`);
  const chess = new Chess();
  const input = boardKey(boardOf(chess)), postMove = boardKey(boardAfter(chess, "e2e4"));
  const result = (successor: number): ChessRunResult => ({
    network: {
      source: "fixtures/chess/network.onnx",
      sha256: "0",
      layers: LAYERS,
      channels: LAYERS.map(() => 32),
    },
    positions: { train: 10, eval: 3 },
    copyAccuracy: [62 / 64, 62 / 64, 62 / 64],
    regular: measures(successor),
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
  });
  const specs = await chessRunSpecs("quick", 7);
  for (const spec of specs) await store.write(spec, result(0));
  const outcomes = await evaluateClaims(
    [CHESS_CLAIM],
    { scale: "quick", seedBase: 7, store, quiet: true },
    expectationOf,
  );
  const markdown = await chessReportSection(outcomes, `${root}/reports`);
  assert.match(markdown, /Verdict: reproduced\./);
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
