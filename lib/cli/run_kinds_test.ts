import assert from "node:assert/strict";
import { QUICK_CONFIG } from "../models/config.ts";
import { ensureRuns } from "../runs/pool.ts";
import { RunStore } from "../runs/store.ts";
import { registerExperimentKinds } from "./run_kinds.ts";
import type { TrainResult } from "../train/train.ts";

const tiny = {
  model: {
    ...QUICK_CONFIG.model,
    boardSize: 6,
    encodedSize: 4,
    modelTimesteps: 2,
    golTimesteps: 2,
  },
  train: {
    ...QUICK_CONFIG.train,
    maxSteps: 12,
    evalInterval: 6,
    traceInterval: 6,
    trainSequences: 100,
    evalSequences: 20,
    freshDecoderSteps: 3,
    adversarialSteps: 3,
    batchSize: 8,
  },
};

Deno.test("registered experiment kinds train gol runs in worker processes, then reuse them", async () => {
  registerExperimentKinds();
  const store = new RunStore(Deno.makeTempDirSync());
  const specs = [1, 2].map((seed) => ({ kind: "gol", config: tiny, seed, scale: "test" }));
  const first = await ensureRuns<TrainResult>([...specs, specs[0]], {
    store,
    workers: 2,
    quiet: true,
  });
  assert.equal(first.length, 3);
  assert.equal(first[0].result.steps, 12);
  assert.ok(["wasm", "wasm-xnnpack"].includes(first[0].result.backend.name), "a CPU backend");
  assert.deepEqual(first[2].result, first[0].result);
  assert.ok(Deno.statSync(`${first[0].dir}/weights.bin`).size > 0);
  const again = await ensureRuns<TrainResult>(specs, { store, quiet: true });
  assert.deepEqual(again[1].result, first[1].result);
});

Deno.test("a gol spec that cannot run is refused before any worker starts, naming the field", async () => {
  registerExperimentKinds();
  const store = new RunStore(Deno.makeTempDirSync());
  const bad = { kind: "gol", config: { model: { boardSize: 1 } }, seed: 1, scale: "test" };
  await assert.rejects(() => ensureRuns([bad], { store, quiet: true }), /model.boardSize 1/);
});
