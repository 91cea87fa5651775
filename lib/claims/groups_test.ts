import assert from "node:assert/strict";
import { runSequences } from "../gol/life.ts";
import { bestTrivial, metricReferences } from "../train/references.ts";
import { DEFAULT_SEED_BASE, groupConfig, GROUPS, runSeeds } from "./groups.ts";

function atLeastFiveConverge(runs: number, rate: number): number {
  let below = 0;
  for (let k = 0; k < 5; k++) {
    let choose = 1;
    for (let i = 0; i < k; i++) choose = choose * (runs - i) / (i + 1);
    below += choose * rate ** k * (1 - rate) ** (runs - k);
  }
  return 1 - below;
}

Deno.test("faithful run counts are the fewest with which 5 runs converge with probability >= 0.8", () => {
  for (const group of Object.values(GROUPS)) {
    const { golTimesteps, modelTimesteps } = groupConfig(group, "faithful").model;
    const rate = golTimesteps === 2 && modelTimesteps === 2 ? 0.8 : 0.5;
    const runs = group.runs.faithful;
    assert.ok(atLeastFiveConverge(runs, rate) >= 0.8, `${group.id}: ${runs} runs at ${rate}`);
    assert.ok(atLeastFiveConverge(runs - 1, rate) < 0.8, `${group.id}: ${runs - 1} would do`);
  }
});

Deno.test("on every faithful configuration's held-out data trivial decoders score <= 0.15 and a perfect imagination <= 1.1", () => {
  const seed = runSeeds(1, DEFAULT_SEED_BASE)[0];
  for (const group of Object.values(GROUPS)) {
    const config = groupConfig(group, "faithful");
    const heldOut = runSequences(config.model, "eval", config.train.evalSequences, seed);
    const references = metricReferences(heldOut, config.model);
    console.log(
      `${group.id}: best trivial ${bestTrivial(references).toFixed(3)}, perfect ${
        references.perfect.toFixed(3)
      }`,
    );
    assert.ok(bestTrivial(references) <= 0.15, group.id);
    assert.ok(references.perfect <= 1.1, group.id);
  }
});
