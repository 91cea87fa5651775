import assert from "node:assert/strict";
import { initBackend } from "../backend/backend.ts";
import { ensureRuns } from "../runs/pool.ts";
import { RunStore } from "../runs/store.ts";
import { registerExperimentKinds } from "../cli/run_kinds.ts";
import { validateLstmConfig } from "./config.ts";
import { TINY_LSTM_CONFIG } from "./tiny_test_data.ts";
import { type LstmResult, trainLstmRun } from "./train.ts";

const tiny = TINY_LSTM_CONFIG;

Deno.test("training the same cell-count run twice gives identical numbers, another seed others", async () => {
  await initBackend("wasm");
  const numbers = ({ seconds: _seconds, ...rest }: LstmResult) => rest;
  const first = await trainLstmRun(tiny, 7);
  const second = await trainLstmRun(tiny, 7);
  const other = await trainLstmRun(tiny, 8);
  assert.deepEqual(numbers(second), numbers(first));
  assert.notDeepEqual(other.history, first.history);
});

Deno.test("a cell-count run reports its count, every reference level and examples", async () => {
  await initBackend("wasm");
  const result = await trainLstmRun(tiny, 3);
  assert.equal(result.status, "ok");
  assert.equal(result.steps, 30);
  assert.deepEqual(result.history.map((h) => h.step), [10, 20, 30]);
  assert.ok(result.shortcutR2 >= 0 && result.shortcutR2 <= 1, `shortcut R^2 ${result.shortcutR2}`);
  assert.equal(result.history.at(-1)?.countR2, result.countR2);
  assert.ok(result.countR2 <= 1 && result.countMse >= 0);
  for (const scores of [result.trained, result.chance, result.ceiling, result.copyInput]) {
    assert.ok(scores, "every reference level is scored");
    for (const value of Object.values(scores)) assert.ok(value >= -1 && value <= 1, `${value}`);
  }
  // On 0/1 boards Pearson's r is the MCC (the phi coefficient): copying s_1 scores the same.
  assert.ok(Math.abs(result.copyInput.pearson - result.copyInput.mcc) < 1e-9);
  assert.ok(Math.abs(result.copyInput.alignedPearson - result.copyInput.alignedMcc) < 1e-9);
  assert.equal(result.examples.length, 2);
  assert.equal(result.examples[0].truth.length, 3);
  assert.equal(result.examples[0].decoded.length, 4);
  assert.equal(result.examples[0].decoded[0].length, 36);
});

Deno.test("cell-count configurations are checked field by field", () => {
  assert.throws(
    () => validateLstmConfig({ model: { lstmTimesteps: 0 } }),
    /model.lstmTimesteps 0: expected an integer/,
  );
  assert.throws(() => validateLstmConfig({ train: { stepz: 1 } }), /train.stepz: unknown field/);
  assert.throws(() => validateLstmConfig({ extra: {} }), /config.extra: unknown field/);
  assert.equal(validateLstmConfig({ model: { golTimesteps: 4 } }).model.golTimesteps, 4);
});

Deno.test("the run store trains lstm runs in workers and reuses them", async () => {
  registerExperimentKinds();
  const store = new RunStore(Deno.makeTempDirSync());
  const spec = { kind: "lstm", config: tiny, seed: 5, scale: "test" };
  const [run] = await ensureRuns<LstmResult>([spec], { store, workers: 1, quiet: true });
  assert.equal(run.result.status, "ok");
  assert.ok(["wasm", "wasm-xnnpack"].includes(run.result.backend.name), "a CPU backend");
  const [again] = await ensureRuns<LstmResult>([spec], { store, quiet: true });
  assert.deepEqual(again.result, run.result);
});
