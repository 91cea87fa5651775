import assert from "node:assert/strict";
import { initBackend } from "../backend/backend.ts";
import { QUICK_CONFIG, type RunConfig } from "../models/config.ts";
import { disposeRun, trainRun } from "./train.ts";

const short: RunConfig = {
  model: {
    ...QUICK_CONFIG.model,
    boardSize: 8,
    encodedSize: 8,
    modelTimesteps: 3,
    golTimesteps: 3,
  },
  train: {
    ...QUICK_CONFIG.train,
    maxSteps: 40,
    evalInterval: 20,
    traceInterval: 10,
    trainSequences: 500,
    evalSequences: 64,
    freshDecoderSteps: 10,
    adversarialSteps: 10,
    batchSize: 16,
  },
};

Deno.test("training the same run twice on wasm gives identical losses and metrics", async () => {
  await initBackend("wasm");
  const first = await trainRun(short, 42);
  const second = await trainRun(short, 42);
  const other = await trainRun(short, 43);
  const numbers = (run: typeof first) => ({
    losses: run.result.lossHistory,
    trace: run.result.trace,
    regular: run.result.regular,
    fresh: run.result.fresh,
    adversarial: run.result.adversarial,
  });
  assert.deepEqual(numbers(second), numbers(first));
  assert.notDeepEqual(numbers(other).losses, numbers(first).losses);
  assert.equal(first.result.status, "ok");
  assert.equal(first.result.trace.steps.length, 4);
  assert.equal(first.result.trace.accuracy.length, 4);
  [first, second, other].forEach(disposeRun);
});

Deno.test("a diverging run is marked failed with the reason instead of crashing", async () => {
  await initBackend("wasm");
  const exploding: RunConfig = {
    ...short,
    train: { ...short.train, learningRate: 1, clipValue: 1e6, maxSteps: 200, freshDecoderSteps: 0 },
    model: {
      ...short.model,
      encodedSize: 16,
      timestepLayers: 6,
      modelTimesteps: 8,
      golTimesteps: 8,
    },
  };
  const run = await trainRun(exploding, 1);
  console.log(`exploding run: ${run.result.status} ${run.result.failure ?? ""}`);
  assert.equal(run.result.status, "failed");
  assert.match(run.result.failure ?? "", /model: loss (is NaN|is Infinity|diverged)/);
  disposeRun(run);
});
