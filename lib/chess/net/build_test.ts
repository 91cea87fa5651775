import assert from "node:assert/strict";
import { initBackend } from "../../backend/backend.ts";
import { createRng } from "../../stats/rng.ts";
import { readVariables } from "../../train/checkpoint.ts";
import { trainChessNet } from "./build.ts";
import { TINY_NET, TINY_TRAINING, tinyPositions } from "./build_test_data.ts";
import { chessNetVariables } from "./model.ts";

const INTERVAL = 20;
const helper = new URL("./build_test_helper.ts", import.meta.url).pathname;

async function runHelper(out: string, checkpoint: string, killAt = "") {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      helper,
      `--out=${out}`,
      `--checkpoint=${checkpoint}`,
      `--interval=${INTERVAL}`,
      `--kill-at=${killAt}`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const steps = new TextDecoder().decode(output.stdout).trim().split("\n").filter(Boolean)
    .map((line) => (JSON.parse(line) as { step: number }).step);
  return { status: output, steps, stderr: new TextDecoder().decode(output.stderr) };
}

const finished = (dir: string) => ({
  result: Deno.readTextFileSync(`${dir}/result.json`),
  weights: Deno.readFileSync(`${dir}/weights.bin`),
});

/** Trains once uninterrupted and once killed at `killAt` then resumed; both must end the same. */
async function killAndResume(killAt: number) {
  const root = Deno.makeTempDirSync();
  const plain = await runHelper(`${root}/plain`, `${root}/plain-checkpoints`);
  assert.ok(plain.status.success, plain.stderr);
  assert.equal(plain.steps.length, TINY_TRAINING.steps);
  const checkpoints = `${root}/checkpoints`;
  const killed = await runHelper(`${root}/resumed`, checkpoints, String(killAt));
  assert.equal(killed.status.signal, "SIGKILL", `the run was killed (${killed.stderr})`);
  assert.equal(killed.steps.at(-1), killAt);
  assert.throws(() => Deno.statSync(`${root}/resumed/result.json`), Deno.errors.NotFound);

  const resumed = await runHelper(`${root}/resumed`, checkpoints);
  assert.ok(resumed.status.success, resumed.stderr);
  // A step's checkpoint is written before the step is reported, so a kill at a multiple of the
  // interval finds that step's checkpoint already saved.
  const checkpointed = Math.floor(killAt / INTERVAL) * INTERVAL;
  assert.equal(resumed.steps[0], checkpointed + 1, "resumed after the last checkpoint");
  const expected = finished(`${root}/plain`), actual = finished(`${root}/resumed`);
  assert.equal(actual.result, expected.result);
  assert.deepEqual(actual.weights, expected.weights);
  console.log(`resumed training equals the uninterrupted one: ${actual.result}`);
}

Deno.test("a network training killed with SIGKILL at a random step resumes and ends bit-identical", async () => {
  // Any step after the first checkpoint, the last one included.
  const killSeed = Number(Deno.env.get("CHECKPOINT_TEST_SEED") ?? Date.now() % 2 ** 31);
  const killAt = INTERVAL + 1 + createRng(killSeed).int(TINY_TRAINING.steps - INTERVAL);
  console.log(`kill at step ${killAt} (CHECKPOINT_TEST_SEED=${killSeed} replays it)`);
  await killAndResume(killAt);
});

Deno.test("a network training killed just after a checkpoint resumes from that checkpoint", async () => {
  await killAndResume(3 * INTERVAL);
});

Deno.test("a finished network training continues into a longer one as if it never stopped", async () => {
  await initBackend("wasm");
  const positions = tinyPositions();
  const weights = (steps: number, dir?: string) => {
    const trained = trainChessNet(positions, TINY_NET, {
      ...TINY_TRAINING,
      steps,
      checkpoint: dir === undefined ? undefined : { dir, interval: 1000 },
    });
    return { ...trained, weights: readVariables(chessNetVariables(trained.net)) };
  };
  const dir = Deno.makeTempDirSync();
  const short = weights(60, dir);
  assert.equal(short.steps, 60);
  const continued = weights(TINY_TRAINING.steps, dir);
  const straight = weights(TINY_TRAINING.steps);
  assert.deepEqual(continued.weights, straight.weights);
  assert.deepEqual(continued.lossHistory, straight.lossHistory);
  assert.equal(continued.epochs, straight.epochs);
  // The short training is a different network: the comparison can fail.
  assert.notDeepEqual(short.weights, straight.weights);
});

Deno.test("a checkpoint of another network training is refused with its folder named", async () => {
  await initBackend("wasm");
  const dir = Deno.makeTempDirSync();
  const positions = tinyPositions(16);
  trainChessNet(positions, TINY_NET, {
    ...TINY_TRAINING,
    steps: 2,
    checkpoint: { dir, interval: 1 },
  });
  for (const change of [{ seed: 4 }, { batchSize: 4 }, { learningRate: 2e-2 }]) {
    assert.throws(
      () =>
        trainChessNet(positions, TINY_NET, {
          ...TINY_TRAINING,
          ...change,
          steps: 3,
          checkpoint: { dir, interval: 1 },
        }),
      new RegExp(`${dir}/checkpoint.json belongs to another run`),
    );
  }
  assert.throws(
    () =>
      trainChessNet(positions.slice(1), TINY_NET, {
        ...TINY_TRAINING,
        steps: 3,
        checkpoint: { dir, interval: 1 },
      }),
    /belongs to another run/,
  );
});
