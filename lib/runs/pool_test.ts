import assert from "node:assert/strict";
import { registerKinds } from "./kinds.ts";
import { ensureRuns, localPool, sweepEta } from "./pool.ts";
import { RunStore } from "./store.ts";
import { KINDS } from "./testdata/kinds.ts";

registerKinds(KINDS, new URL("./testdata/kinds.ts", import.meta.url).href);

Deno.test("the pool runs missing specs in workers, then reuses them at once", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  const specs = [1, 2].map((seed) => ({
    kind: "echo",
    config: { value: 40 + seed },
    seed,
    scale: "test",
  }));
  const landed: number[] = [];
  const first = await ensureRuns<{ echo: number }>([...specs, specs[0]], {
    store,
    workers: 2,
    quiet: true,
    onStored: (run) => void landed.push(run.spec.seed),
  });
  assert.deepEqual(first.map((run) => run.result.echo), [41, 42, 41]);
  assert.deepEqual(landed.sort(), [1, 2], "each trained run lands once");
  assert.deepEqual(Deno.readFileSync(`${first[1].dir}/weights.bin`), new Uint8Array([2, 42]));
  const started = performance.now();
  const again = await localPool.ensure<{ echo: number }>(specs, {
    store,
    quiet: true,
    onStored: () => assert.fail("a reused run does not land again"),
  });
  assert.ok(performance.now() - started < 1000, "stored runs are reused without training");
  assert.deepEqual(again[1].result, first[1].result);
});

Deno.test("a spec that cannot run is refused before any worker starts, naming the field", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  const bad = { kind: "echo", config: { value: "x" }, seed: 1, scale: "test" };
  await assert.rejects(() => ensureRuns([bad], { store, quiet: true }), /config.value "x"/);
  assert.equal([...Deno.readDirSync(store.root)].filter((e) => !e.name.startsWith(".")).length, 0);
});

Deno.test("an unregistered kind is refused, naming the registered ones", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  const spec = { kind: "gol", config: {}, seed: 1, scale: "test" };
  await assert.rejects(
    () => ensureRuns([spec], { store, quiet: true }),
    /run kind "gol": expected one of echo/,
  );
});

Deno.test("a stored run from another backend is refused with a message", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  const spec = { kind: "test", config: {}, seed: 1, scale: "test" };
  await store.write(spec, { backend: { name: "wasm" } });
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

Deno.test("the ETA expects each run to take as long as its own configuration's finished runs", () => {
  const timed = new Map([
    ["lstm", { kind: "lstm", seconds: 40, runs: 2 }],
    ["gol", { kind: "gol", seconds: 1200, runs: 2 }],
  ]);
  const run = (key: string, elapsed = 0, kind = key) => ({ key, kind, elapsed });
  // Two runs of 600 s and one of 20 s left, on two workers.
  assert.equal(sweepEta([run("gol"), run("gol"), run("lstm")], timed, 2), (600 + 600 + 20) / 2);
  // A running run is credited with its elapsed time, never below zero; the longest run left
  // bounds the ETA from below.
  assert.equal(sweepEta([run("gol", 200), run("lstm", 99)], timed, 2), 400);
  // An untimed configuration takes its kind's mean, else the mean of all finished runs.
  assert.equal(sweepEta([run("golWide", 0, "gol"), run("golWide", 0, "gol")], timed, 2), 600);
  assert.equal(sweepEta([run("chess")], timed, 4), 1240 / 4);
  assert.ok(Number.isNaN(sweepEta([run("gol")], new Map(), 2)));
  assert.equal(sweepEta([], timed, 2), 0);
});
