import assert from "node:assert/strict";
import { QUICK_CONFIG } from "../models/config.ts";
import type { TrainResult } from "../train/train.ts";
import { ensureRuns } from "./pool.ts";
import { RunStore } from "./store.ts";

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

Deno.test("the pool trains missing runs in workers, then reuses them at once", async () => {
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
  const started = performance.now();
  const again = await ensureRuns<TrainResult>(specs, { store, quiet: true });
  assert.ok(performance.now() - started < 1000, "stored runs are reused without training");
  assert.deepEqual(again[1].result, first[1].result);
});

Deno.test("a spec that cannot run is refused before any worker starts, naming the field", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  const bad = { kind: "gol", config: { model: { boardSize: 1 } }, seed: 1, scale: "test" };
  await assert.rejects(() => ensureRuns([bad], { store, quiet: true }), /model.boardSize 1/);
  assert.equal([...Deno.readDirSync(store.root)].filter((e) => !e.name.startsWith(".")).length, 0);
});

Deno.test("a stored run from another backend is refused with a message", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  const spec = { kind: "test", config: {}, seed: 1, scale: "test" };
  store.write(spec, { backend: { name: "wasm" } });
  await assert.rejects(
    () => ensureRuns([spec], { store, quiet: true, backend: "cpu" }),
    /stored from backend wasm, not cpu: leave out --backend/,
  );
  const [run] = await ensureRuns([spec], { store, quiet: true, backend: "auto" });
  assert.deepEqual(run.result, { backend: { name: "wasm" } });
});

Deno.test("IMAGINATION_WORKERS must be a positive integer", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  for (const text of ["0", "abc", "-2", "1.5"]) {
    Deno.env.set("IMAGINATION_WORKERS", text);
    try {
      await assert.rejects(
        () => ensureRuns([], { store, quiet: true }),
        new RegExp(
          `IMAGINATION_WORKERS "${text.replace(".", "\\.")}": expected a positive integer`,
        ),
      );
    } finally {
      Deno.env.delete("IMAGINATION_WORKERS");
    }
  }
});
