import assert from "node:assert/strict";
import { QUICK_CONFIG, type RunConfig } from "../models/config.ts";
import { runInChild } from "../runs/child.ts";
import { type RunSpec, RunStore, specHash, stableJson } from "../runs/store.ts";
import { createRng } from "../stats/rng.ts";
import { readCheckpoint, writeCheckpoint } from "./checkpoint.ts";
import { registerExperimentKinds } from "../cli/run_kinds.ts";
import type { TrainResult } from "./train.ts";

// Progress (and the loss history) at every step, so the kill can land on any step.
const tiny: RunConfig = {
  model: {
    ...QUICK_CONFIG.model,
    boardSize: 6,
    encodedSize: 4,
    golTimesteps: 2,
    modelTimesteps: 2,
  },
  train: {
    ...QUICK_CONFIG.train,
    maxSteps: 60,
    evalInterval: 1,
    traceInterval: 5,
    trainSequences: 200,
    evalSequences: 32,
    freshDecoderSteps: 10,
    adversarialSteps: 10,
    ceilingSteps: 10,
    batchSize: 8,
  },
};
const INTERVAL = 10;
const spec: RunSpec = { kind: "gol", config: tiny, seed: 11, scale: "test" };
const helper = new URL("./checkpoint_test_helper.ts", import.meta.url).pathname;

async function runHelper(out: string, checkpoint: string, killAt = "") {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      helper,
      `--out=${out}`,
      `--checkpoint=${checkpoint}`,
      `--interval=${INTERVAL}`,
      `--kill-at=${killAt}`,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(spec)));
  await writer.close();
  const output = await child.output();
  const progress = new TextDecoder().decode(output.stdout).trim().split("\n").filter(Boolean)
    .map((line) => JSON.parse(line) as { phase: string; step: number });
  return { status: output, progress, stderr: new TextDecoder().decode(output.stderr) };
}

function entry(dir: string) {
  const result = JSON.parse(Deno.readTextFileSync(`${dir}/result.json`)) as TrainResult;
  const { seconds: _seconds, stepsPerSecond: _perSecond, ...numbers } = result;
  return {
    numbers,
    manifest: Deno.readTextFileSync(`${dir}/weights.json`),
    weights: Deno.readFileSync(`${dir}/weights.bin`),
  };
}

Deno.test("a run killed with SIGKILL at a random step resumes and ends bit-identical", async () => {
  const root = Deno.makeTempDirSync();
  const plain = await runHelper(`${root}/plain`, `${root}/plain-checkpoints`);
  assert.ok(plain.status.success, plain.stderr);
  const steps = entry(`${root}/plain`).numbers.steps;
  // Any step after the first checkpoint, in phase 1 or in the decoder phases after it.
  const points = [
    ...Array.from({ length: steps - INTERVAL }, (_, i) => `model:${INTERVAL + 1 + i}`),
    ...Array.from({ length: tiny.train.freshDecoderSteps }, (_, i) => `fresh-decoder:${i + 1}`),
    ...Array.from({ length: tiny.train.adversarialSteps }, (_, i) => `adversarial:${i + 1}`),
    ...Array.from({ length: tiny.train.ceilingSteps ?? 0 }, (_, i) => `ceiling:${i + 1}`),
  ];
  const killSeed = Number(Deno.env.get("CHECKPOINT_TEST_SEED") ?? Date.now() % 2 ** 31);
  const killAt = points[createRng(killSeed).int(points.length)];
  console.log(`kill at ${killAt} (CHECKPOINT_TEST_SEED=${killSeed} replays it)`);

  const checkpoints = `${root}/checkpoints`;
  const killed = await runHelper(`${root}/resumed`, checkpoints, killAt);
  assert.equal(killed.status.signal, "SIGKILL", `the run was killed (${killed.stderr})`);
  assert.equal(killed.progress.map((p) => `${p.phase}:${p.step}`).at(-1), killAt);
  assert.throws(() => Deno.statSync(`${root}/resumed/result.json`), Deno.errors.NotFound);
  const saved = readCheckpoint<{ steps: number }>(
    checkpoints,
    stableJson({ config: tiny, seed: 11 }),
  );
  assert.ok(saved, "a checkpoint was left behind");
  console.log(`checkpoint: ${saved.phase} after step ${saved.progress.steps}`);

  const resumed = await runHelper(`${root}/resumed`, checkpoints);
  assert.ok(resumed.status.success, resumed.stderr);
  const firstModelStep = resumed.progress.find((p) => p.phase === "model")?.step;
  if (saved.phase === "model") {
    assert.equal(firstModelStep, saved.progress.steps + 1, "phase 1 resumed after its checkpoint");
  } else {
    assert.equal(firstModelStep, undefined, "phase 1 was not redone");
  }
  // A later phase that had finished before the kill is not redone; the killed one restarts.
  const redone = new Set(resumed.progress.map((p) => p.phase));
  const killedPhase = killAt.split(":")[0];
  const order = ["model", "fresh-decoder", "adversarial", "ceiling"];
  for (const phase of order.slice(1, order.indexOf(killedPhase))) {
    assert.ok(!redone.has(phase), `${phase} finished before the kill and was redone`);
  }
  if (killedPhase !== "model") assert.ok(redone.has(killedPhase), `${killedPhase} was redone`);
  const expected = entry(`${root}/plain`), actual = entry(`${root}/resumed`);
  assert.deepEqual(actual.numbers, expected.numbers);
  // The total counts the time before the kill too: never less than the phases it sums.
  const { seconds } = JSON.parse(
    Deno.readTextFileSync(`${root}/resumed/result.json`),
  ) as TrainResult;
  const phases = Object.entries(seconds).reduce((sum, [k, v]) => k === "total" ? sum : sum + v, 0);
  assert.ok(seconds.total >= phases, `total ${seconds.total} s >= phases ${phases} s`);
  assert.equal(actual.manifest, expected.manifest);
  assert.deepEqual(actual.weights, expected.weights);
  console.log(
    `resumed run equals the uninterrupted one: ${expected.numbers.lossHistory.length} losses, ` +
      `${expected.weights.length} weight bytes, metric ${expected.numbers.metric}`,
  );
});

Deno.test("a checkpoint of another run is refused with its folder named", () => {
  const dir = Deno.makeTempDirSync();
  writeCheckpoint(dir, { run: "a", phase: "decoders", weights: [], stepper: null, progress: {} });
  assert.throws(
    () => readCheckpoint(dir, "b"),
    new RegExp(`${dir}/checkpoint.json belongs to another run`),
  );
  assert.equal(readCheckpoint(Deno.makeTempDirSync(), "a"), null);
});

Deno.test("the worker checkpoints outside the entry and removes the checkpoint once it is stored", async () => {
  registerExperimentKinds();
  const store = new RunStore(Deno.makeTempDirSync());
  const short = { ...spec, config: { ...tiny, train: { ...tiny.train, maxSteps: 5 } } };
  // The child worker as both runners start it: the store's location and the kinds go along.
  const failure = await runInChild(short, { store, backend: "wasm" });
  assert.equal(failure, null);
  const dir = `${store.root}/${specHash(short)}`;
  assert.deepEqual(
    [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
    ["result.json", "spec.json", "weights.bin", "weights.json"],
  );
  assert.deepEqual([...Deno.readDirSync(`${store.root}/.checkpoints`)], []);
});
