import assert from "node:assert/strict";
import { initBackend } from "../backend/backend.ts";
import { loadXnnpack } from "../backend/xnnpack.ts";
import { tf } from "../backend/tf.ts";
import { runSequences } from "../gol/life.ts";
import { QUICK_CONFIG, type RunConfig } from "../models/config.ts";
import { createGolModel, hiddenStates } from "../models/gol_model.ts";
import { createRng } from "../stats/rng.ts";
import { frozenStates, releaseFrozenBatch } from "./frozen.ts";
import { boardsOf } from "./step.ts";
import { variablesOf } from "../layers/layers.ts";
import { disposeRun, type TrainedRun, trainRun } from "./train.ts";

/** Elements of `a` and `b` whose bits differ (a count, so a failure prints no huge diff). */
function differing(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  assert.equal(a.length, b.length);
  let count = 0;
  a.forEach((x, i) => {
    assert.equal(x.length, b[i].length);
    for (let k = 0; k < x.length; k++) if (!Object.is(x[k], b[i][k])) count++;
  });
  return count;
}

// The CPU backends this machine has: the cache relies on each of them being batch-invariant.
const backends = ["wasm", ...(loadXnnpack() ? ["wasm-xnnpack"] : [])];

const config: RunConfig = {
  model: {
    ...QUICK_CONFIG.model,
    boardSize: 8,
    encodedSize: 8,
    modelTimesteps: 3,
    golTimesteps: 3,
  },
  train: {
    ...QUICK_CONFIG.train,
    maxSteps: 20,
    evalInterval: 10,
    traceInterval: 10,
    trainSequences: 40,
    evalSequences: 32,
    freshDecoderSteps: 12,
    adversarialSteps: 12,
    ceilingSteps: 12,
    batchSize: 16,
  },
};

Deno.test("a sequence's hidden states are the same bits in any batch, on every CPU backend", async () => {
  for (const backend of backends) {
    await initBackend(backend);
    const model = createGolModel({ ...config.model, boardSize: 16, encodedSize: 20 }, createRng(7));
    const set = runSequences({ ...config.model, boardSize: 16 }, "train", 48, 11);
    const picks = Array.from({ length: 32 }, (_, i) => (i * 7) % 48);
    const together = hiddenStates(model, boardsOf(set, picks, [0])[0]).map((s) => s.dataSync());
    const per = together[0].length / picks.length;
    // Alone, in reverse order, and in a batch of 17 (a partial tile).
    const batches = [...picks.map((p) => [p]), [...picks].reverse(), picks.slice(0, 17)];
    let compared = 0;
    for (const batch of batches) {
      const states = hiddenStates(model, boardsOf(set, batch, [0])[0]).map((s) => s.dataSync());
      states.forEach((values, t) =>
        batch.forEach((p, i) => {
          const j = picks.indexOf(p);
          const alone = values.subarray(i * per, (i + 1) * per);
          assert.deepEqual(
            alone,
            together[t].subarray(j * per, (j + 1) * per),
            `${backend} h(${t})`,
          );
          compared++;
        })
      );
    }
    console.log(`${backend}: ${compared} sequence states equal bit for bit`);
    tf.disposeVariables();
  }
});

Deno.test("cached and per-batch states give the same batches and a bit-identical run", async () => {
  for (const backend of backends) {
    await initBackend(backend);
    const set = runSequences(config.model, "train", 40, 3);
    const model = createGolModel(config.model, createRng(5));
    const [cached, direct] = [frozenStates(model, set, true), frozenStates(model, set, false)];
    assert.equal(cached.cached, true);
    assert.equal(direct.cached, false);
    const [rngA, rngB] = [createRng(9), createRng(9)];
    for (let step = 0; step < 6; step++) {
      const [a, b] = [cached.batch(rngA, 16, [0, 3]), direct.batch(rngB, 16, [0, 3])];
      const values = (batch: typeof a) =>
        [...batch.states, ...batch.batch].map((s) => s.dataSync());
      assert.equal(differing(values(a), values(b)), 0, `${backend}: batch ${step}`);
      releaseFrozenBatch(a);
      releaseFrozenBatch(b);
    }
    assert.equal(rngA.int(1000), rngB.int(1000), "both draw the same random numbers");

    const numbers = (run: TrainedRun) => {
      const { seconds: _s, stepsPerSecond: _r, ...rest } = run.result;
      return rest;
    };
    const withCache = await trainRun(config, 42, { frozenCache: true });
    const without = await trainRun(config, 42, { frozenCache: false });
    assert.equal(withCache.result.status, "ok");
    assert.ok(withCache.result.ceiling && withCache.result.adversarial, "phases 2-4 ran");
    assert.deepEqual(numbers(withCache), numbers(without), backend);
    const weights = (run: TrainedRun) =>
      [run.extraDecoder!, run.freshDecoder!, ...run.ceiling!].flatMap(variablesOf)
        .map((v) => v.dataSync());
    assert.equal(differing(weights(withCache), weights(without)), 0, `${backend}: decoder weights`);
    [withCache, without].forEach(disposeRun);
  }
});
