import assert from "node:assert/strict";
import { initBackend } from "../backend/backend.ts";
import { createRng } from "../stats/rng.ts";
import { encodePlanes, INPUT_PLANES, parseFen, SQUARES } from "./board.ts";
import { SHIPPED_NETWORK, SHIPPED_POSITIONS } from "./claim.ts";
import { measureAgreement } from "./net/build.ts";
import { createChessNet } from "./net/model.ts";
import { loadNetwork, runNetwork } from "./network.ts";
import { exportChessNet } from "./net/onnx_export.ts";
import { projectPath, readPositions } from "./study.ts";

const FENS = [
  "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1",
  "r1bqkbnr/pppp1ppp/2n5/4p3/4P3/5N2/PPPP1PPP/RNBQKB1R w KQkq - 2 3",
  "r1bqkb1r/pppp1ppp/2n2n2/4p3/2B1P3/5N2/PPPP1PPP/RNBQK2R b KQkq - 3 3",
];

function planesOf(fens: string[]): Float32Array {
  const planes = new Float32Array(fens.length * INPUT_PLANES * SQUARES);
  fens.forEach((fen, i) => encodePlanes(parseFen(fen), planes, i * INPUT_PLANES * SQUARES));
  return planes;
}

Deno.test("the shipped network loads in onnxruntime with every layer as an output", async () => {
  const network = await loadNetwork(projectPath(SHIPPED_NETWORK));
  assert.deepEqual(network.layers, [
    "input",
    "block0",
    "block1",
    "block2",
    "block3",
    "block4",
    "block5",
  ]);
  const outputs = await runNetwork(network, planesOf(FENS), FENS.length);
  assert.equal(outputs.activations.length, 7);
  assert.ok(outputs.channels.every((c) => c === outputs.channels[0]));
  assert.equal(outputs.activations[0].length, FENS.length * outputs.channels[0] * SQUARES);
  assert.equal(outputs.policy.length, FENS.length * 1858);
  assert.notDeepEqual(outputs.activations[1], outputs.activations[6], "blocks differ");
  await network.session.release();
});

Deno.test("the shipped network agrees with Stockfish at least twice as often as a random legal move", async () => {
  const { heldOut } = readPositions(SHIPPED_POSITIONS);
  const agreement = await measureAgreement(projectPath(SHIPPED_NETWORK), heldOut);
  console.log(
    `  held-out ${agreement.positions}: network ${(agreement.network * 100).toFixed(1)}%, random ${
      (agreement.randomLegalMove * 100).toFixed(1)
    }%; mean probability of its top legal move ${agreement.topMoveProbability.toFixed(3)}`,
  );
  assert.ok(agreement.topMoveProbability > 0 && agreement.topMoveProbability <= 1);
  // Build record (fixtures/chess/network.json): 22.2% vs 8.8% on these positions.
  assert.ok(agreement.network >= 2 * agreement.randomLegalMove);
});

Deno.test("another ONNX network of the same layout loads too (as --network does)", async () => {
  await initBackend();
  const net = createChessNet(
    { filters: 8, blocks: 2, valueChannels: 2, valueHidden: 4 },
    createRng(3),
  );
  const other = await loadNetwork(exportChessNet(net));
  assert.deepEqual(other.layers, ["input", "block0", "block1"]);
  const outputs = await runNetwork(other, planesOf(FENS), FENS.length);
  assert.deepEqual(outputs.channels, [8, 8, 8]);
  await other.session.release();
});

Deno.test("an unsupported graph or a file that is not ONNX gives a clear error", async () => {
  // Rename the node in place (same length, so the protobuf stays valid).
  const renamed = Deno.readFileSync(projectPath(SHIPPED_NETWORK));
  const from = new TextEncoder().encode("/block0/conv1");
  for (let i = 0; i + from.length <= renamed.length; i++) {
    if (from.every((byte, k) => renamed[i + k] === byte)) renamed[i + 6] = "X".charCodeAt(0);
  }
  await assert.rejects(
    () => loadNetwork(renamed),
    /unsupported graph: no Conv node "\/block0\/conv1".*leela2onnx/,
  );
  await assert.rejects(
    () => loadNetwork(new TextEncoder().encode("hello, not a network")),
    /unsupported graph/,
  );
  await assert.rejects(() => loadNetwork("/nonexistent/network.onnx"), /cannot read it/);
});
