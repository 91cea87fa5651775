import assert from "node:assert/strict";
import { initBackend } from "../backend/backend.ts";
import { tf } from "../backend/tf.ts";
import { runSequences } from "../gol/life.ts";
import { variablesOf } from "../layers/layers.ts";
import { QUICK_CONFIG, type RunConfig } from "../models/config.ts";
import { exactLifeModel } from "../models/controls.ts";
import { disposeModel, type GolModel, trunkVariables } from "../models/gol_model.ts";
import { createRng } from "../stats/rng.ts";
import { bestTrivialCells, metricReferences } from "./references.ts";
import { decoderScores, trainCeilingReadouts } from "./train.ts";

const config: RunConfig = {
  model: {
    ...QUICK_CONFIG.model,
    boardSize: 8,
    encodedSize: 10,
    golTimesteps: 3,
    modelTimesteps: 3,
  },
  train: { ...QUICK_CONFIG.train, batchSize: 32, ceilingSteps: 400 },
};
const trainSet = runSequences(config.model, "train", 1000, 3);
const heldOut = runSequences(config.model, "eval", 300, 3);
const trivial = bestTrivialCells(metricReferences(heldOut, config.model))!;

function intermediateCeiling(model: GolModel): number[] {
  const readouts = trainCeilingReadouts(model, trainSet, config, 3, {});
  const { indexAccuracy } = decoderScores(model, { perIndex: readouts }, heldOut, [0, 3]);
  tf.dispose(readouts.flatMap(variablesOf));
  return indexAccuracy.slice(1, -1);
}

Deno.test("ceiling readouts read intermediate states a network computes, and nothing a network lacks", async () => {
  await initBackend("wasm");
  // Positive control: hand-set weights compute every GoL step; h(t) holds s(t+1) in channel 0.
  const exact = exactLifeModel(config.model, createRng(1));
  const computed = intermediateCeiling(exact);
  console.log(`exact network: ceiling ${computed}, best trivial ${trivial.slice(1, -1)}`);
  for (const accuracy of computed) assert.ok(accuracy >= 0.99, `ceiling ${accuracy} < 99%`);
  // Negative control: the same network with every weight zeroed has constant hidden states, so
  // a readout can only learn a constant board: at best the trivial floor.
  for (const variable of [...trunkVariables(exact), ...variablesOf(exact.decoder)]) {
    variable.assign(tf.zerosLike(variable));
  }
  const lacking = intermediateCeiling(exact);
  console.log(`zeroed network: ceiling ${lacking}`);
  lacking.forEach((accuracy, i) =>
    assert.ok(accuracy <= trivial[i + 1] + 0.005, `ceiling ${accuracy} above ${trivial[i + 1]}`)
  );
  disposeModel(exact);
});
