import assert from "node:assert/strict";
import { initBackend } from "../../backend/backend.ts";
import { trainChessNet } from "./build.ts";
import { TINY_NET, TINY_TRAINING, tinyPositions } from "./build_test_data.ts";
import { exportChessNet } from "./onnx_export.ts";
import { trainSnapshots } from "./snapshots.ts";

Deno.test("networks of several strengths are the one training's networks at those steps", async () => {
  await initBackend("wasm");
  const positions = tinyPositions();
  const sets = {
    training: positions.filter((p) => p.game < 7),
    heldOut: positions.filter((p) => p.game >= 7),
  };
  const { steps: _steps, ...training } = TINY_TRAINING;
  const out = Deno.makeTempDirSync();
  const context = {
    command: "test",
    network: TINY_NET,
    labels: { engine: "none", depth: 0, positions: positions.length },
    backend: "wasm",
    started: performance.now(),
  };
  const checkpoint = { dir: `${out}/checkpoint`, interval: 7 };
  const seen: number[] = [];
  await trainSnapshots(
    sets,
    TINY_NET,
    { ...training, decaySteps: 30, checkpoint },
    [50, 20],
    `${out}/strengths`,
    context,
    () => {},
    (step) => seen.push(step),
  );
  assert.deepEqual(seen, [20, 50]);
  for (const steps of [20, 50]) {
    const straight = trainChessNet(sets.training, TINY_NET, { ...training, decaySteps: 30, steps });
    const written = Deno.readFileSync(`${out}/strengths/${steps}/network.onnx`);
    // exportChessNet gives a Buffer (protobufjs): compared as plain bytes.
    const expected = new Uint8Array(exportChessNet(straight.net));
    assert.deepEqual(written, expected, `network at step ${steps}`);
    const record = JSON.parse(Deno.readTextFileSync(`${out}/strengths/${steps}/network.json`));
    assert.equal(record.training.steps, steps);
    assert.equal(record.training.positions, sets.training.length);
    assert.equal(record.training.backend, "wasm");
    assert.deepEqual(record.training.finalLoss, straight.lossHistory.at(-1) ?? null);
    const { heldOut } = record.agreement;
    assert.equal(heldOut.positions, sets.heldOut.length);
    for (const share of [heldOut.network, heldOut.randomLegalMove, heldOut.topMoveProbability]) {
      assert.ok(share >= 0 && share <= 1, `${share} is a share`);
    }
  }
  // The decay changes the network, so the comparison above can fail.
  const undecayed = trainChessNet(sets.training, TINY_NET, { ...training, steps: 20 });
  assert.notDeepEqual(
    new Uint8Array(exportChessNet(undecayed.net)),
    Deno.readFileSync(`${out}/strengths/20/network.onnx`),
  );
  // Started again (as after a kill once all were written), the written snapshots are kept.
  const before = Deno.readFileSync(`${out}/strengths/20/network.onnx`);
  await trainSnapshots(
    sets,
    TINY_NET,
    { ...training, decaySteps: 30, checkpoint },
    [20, 50],
    `${out}/strengths`,
    context,
    () => {},
    (step) => seen.push(step),
  );
  assert.deepEqual(seen, [20, 50], "nothing written again");
  assert.deepEqual(Deno.readFileSync(`${out}/strengths/20/network.onnx`), before);
  Deno.removeSync(`${out}/strengths/20`, { recursive: true });
  await assert.rejects(
    () =>
      trainSnapshots(
        sets,
        TINY_NET,
        { ...training, decaySteps: 30, checkpoint },
        [20],
        `${out}/strengths`,
        context,
      ),
    /strengths\/20: the network of step 20 was written and is gone/,
  );
  // A checkpoint past a snapshot's steps cannot give that snapshot.
  assert.throws(
    () =>
      trainChessNet(sets.training, TINY_NET, {
        ...training,
        decaySteps: 30,
        steps: 20,
        checkpoint,
      }),
    new RegExp(`${checkpoint.dir}: its training is at step 50, past the 20 steps asked`),
  );
});
