import assert from "node:assert/strict";
import { initBackend } from "../backend/backend.ts";
import { createRng } from "../stats/rng.ts";
import { type Board, PIECE_CLASSES, SQUARES } from "./board.ts";
import {
  createBoardDecoder,
  decodeBoards,
  type LayerActivations,
  layerNorm,
  standardized,
  toNhwc,
  trainAdversarialDecoder,
  trainDecoder,
} from "./decoder.ts";

Deno.test("ONNX activations become NHWC", () => {
  // 1 position, 2 channels: channel 0 = square index, channel 1 = -square index.
  const nchw = Float32Array.from(
    { length: 2 * SQUARES },
    (_, i) => i < SQUARES ? i : -(i - SQUARES),
  );
  const { values } = toNhwc(nchw, 2, 1);
  assert.deepEqual(Array.from(values.subarray(0, 6)), [0, -0, 1, -1, 2, -2]);
});

function oneHotLayer(boards: Board[]): LayerActivations {
  const values = new Float32Array(boards.length * SQUARES * PIECE_CLASSES);
  boards.forEach((board, i) =>
    board.forEach((cls, s) => values[(i * SQUARES + s) * PIECE_CLASSES + cls] = 1)
  );
  return { values, channels: PIECE_CLASSES };
}

Deno.test("a decoder learns to read boards that the activations spell out, and keeps it adversarially", async () => {
  await initBackend("wasm");
  const rng = createRng(9);
  const boards = Array.from(
    { length: 64 },
    () => Uint8Array.from({ length: SQUARES }, () => rng.next() < 0.7 ? 0 : 1 + rng.int(12)),
  );
  const shifted = boards.map((b) => Uint8Array.from(b, (_, s) => b[(s + 8) % SQUARES]));
  const layers = [oneHotLayer(boards), oneHotLayer(boards), oneHotLayer(shifted)];
  const config = {
    hidden: 16,
    steps: 150,
    adversarialSteps: 20,
    adversarialWeight: 0.1,
    batchSize: 16,
    learningRate: 1e-2,
  };
  const set = { layers, inputBoards: boards, postMoveBoards: shifted };
  const decoder = trainDecoder(set, config, 1);
  const accuracy = (decoded: Board[], truth: Board[]) =>
    decoded.reduce((n, b, i) => n + b.filter((cls, s) => cls === truth[i][s]).length, 0) /
    (truth.length * SQUARES);
  assert.ok(accuracy(decodeBoards(decoder, layers[0], 64), boards) > 0.95);
  assert.ok(accuracy(decodeBoards(decoder, layers[2], 64), shifted) > 0.95);
  const adversarial = trainAdversarialDecoder(set, decoder, config, 1);
  assert.ok(accuracy(decodeBoards(adversarial, layers[0], 64), boards) > 0.9);
});

Deno.test("layer statistics standardise each channel, and held-out layers use the training statistics", () => {
  // 3 positions x 64 squares, 2 channels: channel 0 = 5 + square % 2 (mean 5.5, sd 0.5),
  // channel 1 constant 7 (sd floored at 1e-3).
  const rows = 3 * SQUARES;
  const values = Float32Array.from(
    { length: rows * 2 },
    (_, i) => i % 2 === 0 ? 5 + ((i / 2) % 2) : 7,
  );
  const norm = layerNorm({ values, channels: 2 });
  assert.ok(Math.abs(norm.mean[0] - 5.5) < 1e-9 && Math.abs(norm.std[0] - 0.5) < 1e-6);
  assert.equal(norm.mean[1], 7);
  assert.equal(norm.std[1], 1e-3);
  const out = standardized({ values: Float32Array.from([6, 7.001]), channels: 2 }, norm);
  assert.ok(Math.abs(out.values[0] - 1) < 1e-6 && Math.abs(out.values[1] - 1) < 1e-3);
  assert.throws(() => standardized({ values, channels: 1 } as LayerActivations, norm), /channels/);
});

Deno.test("decoder depth sets the hidden 3x3 convolutions", async () => {
  await initBackend("wasm");
  assert.equal(createBoardDecoder(8, 4, createRng(1)).length, 3);
  const deep = createBoardDecoder(8, 4, createRng(1), 4);
  assert.deepEqual(deep.map((layer) => layer.kernel.shape), [
    [3, 3, 8, 4],
    [3, 3, 4, 4],
    [3, 3, 4, 4],
    [3, 3, 4, 4],
    [1, 1, 4, PIECE_CLASSES],
  ]);
  assert.throws(() => createBoardDecoder(8, 4, createRng(1), 0), /depth/);
});
