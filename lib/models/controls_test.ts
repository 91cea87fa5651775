import assert from "node:assert/strict";
import { initBackend } from "../backend/backend.ts";
import { generateSequences, stateOf } from "../gol/life.ts";
import { meanMetric, trainedIndicesFor } from "../metric/imagination.ts";
import { createRng } from "../stats/rng.ts";
import { evaluateModel } from "../train/evaluate.ts";
import { QUICK_CONFIG } from "./config.ts";
import { exactLifeModel } from "./controls.ts";
import { createGolModel, disposeModel } from "./gol_model.ts";

const config = { ...QUICK_CONFIG.model, boardSize: 20, golTimesteps: 3, modelTimesteps: 3 };
const shape = { count: 1000, rows: 20, cols: 20, golTimesteps: 3 };
// Random sequences: every one from a fresh p = 0.5 board.
const fresh = generateSequences({ ...shape, freshProbability: 1 }, 20240530);
// The reference's chained data: many boards are evolved, sparse or still.
const chained = generateSequences(shape, 20240531);
const trainedIndices = trainedIndicesFor(3, true);

/** Eq. 1 of the ground truth against itself, and of a decoder that always says "all dead". */
function baselines(set: typeof chained): { truth: number; allDead: number } {
  const sequences = Array.from({ length: set.count }, (_, s) => {
    const gol = Array.from({ length: set.states }, (_, t) => stateOf(set, s, t));
    return { gol, dead: gol.map((board) => new Uint8Array(board.length)) };
  });
  return {
    truth: meanMetric(sequences.map(({ gol }) => ({ gol, outputs: gol })), { trainedIndices }),
    allDead: meanMetric(sequences.map(({ gol, dead }) => ({ gol, outputs: dead })), {
      trainedIndices,
    }),
  };
}

Deno.test("a hand-set network that computes GoL steps scores Eq. 1 = 1.0 on 1,000 random sequences", async () => {
  await initBackend();
  const model = exactLifeModel(config, createRng(1));
  const result = evaluateModel(model, model.decoder, fresh, { trainedIndices });
  console.log(`exact control: metric ${result.metric}, per-index accuracy ${result.indexAccuracy}`);
  assert.equal(result.metric, 1);
  assert.deepEqual(result.indexAccuracy, [1, 1, 1, 1]);
  // On chained data, still and dying boards repeat states (a true state near another one): the
  // control must score exactly what the ground truth scores against itself.
  const onChained = evaluateModel(model, model.decoder, chained, { trainedIndices });
  assert.deepEqual(onChained.indexAccuracy, [1, 1, 1, 1]);
  assert.ok(Math.abs(onChained.metric - baselines(chained).truth) < 1e-12);
  disposeModel(model);
});

Deno.test("an untrained random network scores near 0, and at most chance on chained data", async () => {
  await initBackend();
  const chance = baselines(chained).allDead;
  console.log(`chained data: an all-dead decoder scores ${chance.toFixed(3)}`);
  for (const seed of [1, 2, 3]) {
    const model = createGolModel(config, createRng(seed));
    const onFresh = evaluateModel(model, model.decoder, fresh, { trainedIndices }).metric;
    const onChained = evaluateModel(model, model.decoder, chained, { trainedIndices }).metric;
    console.log(`random network ${seed}: metric ${onFresh} (fresh), ${onChained} (chained)`);
    assert.ok(onFresh < 0.01, `random network ${seed}: metric ${onFresh} on fresh boards`);
    assert.ok(
      onChained <= chance + 0.02,
      `random network ${seed}: ${onChained} > chance ${chance}`,
    );
    disposeModel(model);
  }
});
