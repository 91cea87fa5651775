/**
 * Decoders moved into one module without changing a number: tiny runs of every user (the Game
 * of Life phases 1-4, the Table 4 cell-count run, the chess decoders and the chess network's
 * dense value head) give, on the wasm backend, the results and weights that the code before the
 * move gave. `fixtures/decoders_golden.json` holds those fingerprints; they were produced at
 * commit 4e9956c by these same computations with that commit's import paths.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { initBackend } from "../backend/backend.ts";
import { tf } from "../backend/tf.ts";
import { type Board, PIECE_CLASSES, SQUARES } from "../chess/board.ts";
import { trainChessNet } from "../chess/net/build.ts";
import {
  decodeBoards,
  type LayerActivations,
  trainAdversarialDecoder,
  trainDecoder,
} from "../chess/decoder.ts";
import { chessNetForward } from "../chess/net/model.ts";
import { scaleBase } from "../claims/groups.ts";
import { saveLayers } from "../layers/serialize.ts";
import { specHash, stableJson } from "../runs/store.ts";
import { createRng } from "../stats/rng.ts";
import { TINY_LSTM_CONFIG } from "../lstm/tiny_test_data.ts";
import { trainLstmRun } from "../lstm/train.ts";
import { executeGolRun } from "../train/gol_runs.ts";
import { validateRunConfig } from "../train/validate.ts";

const golden = JSON.parse(
  Deno.readTextFileSync(new URL("../../fixtures/decoders_golden.json", import.meta.url)),
);

function sha(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function numbersOf(result: object): Record<string, unknown> {
  const { seconds: _seconds, stepsPerSecond: _rate, backend: _backend, ...numbers } =
    result as Record<string, unknown>;
  return numbers;
}

Deno.test("a tiny Game of Life run with every decoder phase gives the recorded result and weights", async () => {
  await initBackend("wasm");
  const spec = {
    kind: "gol",
    config: validateRunConfig({
      model: { boardSize: 6, encodedSize: 4 },
      train: {
        maxSteps: 30,
        evalInterval: 10,
        traceInterval: 5,
        trainSequences: 100,
        evalSequences: 24,
        freshDecoderSteps: 10,
        adversarialSteps: 10,
        ceilingSteps: 10,
        batchSize: 8,
      },
    }, scaleBase("quick")),
    seed: 1,
    scale: "quick",
  };
  const { result, files } = await executeGolRun(spec, () => {});
  const numbers = numbersOf(result as object);
  assert.deepEqual({
    specHash: specHash(spec),
    result: sha(stableJson(numbers)),
    weightsJson: sha(files["weights.json"] as string),
    weightsBin: sha(files["weights.bin"] as Uint8Array),
    metrics: ["regular", "fresh", "adversarial", "ceiling"].map((phase) =>
      (numbers[phase] as { metric: number }).metric
    ),
  }, golden.gol);
});

Deno.test("a tiny cell-count (Table 4) run gives the recorded result", async () => {
  await initBackend("wasm");
  const tiny = TINY_LSTM_CONFIG;
  const result = await trainLstmRun(tiny, 3);
  assert.deepEqual({
    specHash: specHash({ kind: "lstm", config: tiny, seed: 3, scale: "test" }),
    result: sha(stableJson(numbersOf(result))),
    pearson: [result.trained?.pearson, result.chance?.pearson, result.ceiling?.pearson],
    countR2: result.countR2,
  }, golden.lstm);
});

function oneHotLayer(boards: Board[]): LayerActivations {
  const values = new Float32Array(boards.length * SQUARES * PIECE_CLASSES);
  boards.forEach((board, i) =>
    board.forEach((cls, s) => values[(i * SQUARES + s) * PIECE_CLASSES + cls] = 1)
  );
  return { values, channels: PIECE_CLASSES };
}

Deno.test("the chess decoders, regular and adversarial, train to the recorded weights", async () => {
  await initBackend("wasm");
  const rng = createRng(9);
  const boards: Board[] = Array.from(
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
  const losses: number[] = [];
  const regular = trainDecoder(set, config, 1, (_, loss) => losses.push(loss));
  const adversarial = trainAdversarialDecoder(
    set,
    regular,
    config,
    1,
    (_, loss) => losses.push(loss),
  );
  const decoded = decodeBoards(adversarial, layers[1], 64).flatMap((board) => Array.from(board));
  assert.deepEqual({
    regular: sha(saveLayers({ regular }).data),
    adversarial: sha(saveLayers({ adversarial }).data),
    decoded: sha(Uint8Array.from(decoded)),
    losses,
  }, golden.chessDecoder);
});

Deno.test("a tiny chess network trains to the recorded policy and value outputs", async () => {
  await initBackend("wasm");
  const fens = [
    "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1",
    "rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1",
    "rnbqkbnr/pppp1ppp/8/4p3/4P3/8/PPPP1PPP/RNBQKBNR w KQkq - 0 2",
  ];
  const positions = [
    { fen: fens[0], bestMove: "e2e4", scoreCp: 30, game: 0 },
    { fen: fens[1], bestMove: "e7e5", scoreCp: -25, game: 0 },
    { fen: fens[2], bestMove: "g1f3", scoreCp: 40, game: 0 },
  ];
  const trained = trainChessNet(
    positions,
    { filters: 8, blocks: 2, valueChannels: 2, valueHidden: 4 },
    { steps: 5, batchSize: 2, learningRate: 1e-2, valueWeight: 1, seed: 4 },
  );
  const planes = tf.randomUniform([2, 8, 8, 20], 0, 1, "float32", 3) as tf.Tensor4D;
  const { policy, wdl } = chessNetForward(trained.net, planes);
  assert.deepEqual({
    steps: trained.steps,
    policy: sha(new Uint8Array((policy.dataSync() as Float32Array).buffer)),
    wdl: Array.from(wdl.dataSync()),
  }, golden.chessNet);
});
