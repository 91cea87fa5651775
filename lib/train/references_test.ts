import assert from "node:assert/strict";
import { runSequences, stateOf } from "../gol/life.ts";
import { QUICK_CONFIG } from "../models/config.ts";
import { bestTrivialCells, metricReferences } from "./references.ts";

Deno.test("per-index trivial accuracy: copies are exact where they are the truth, all-dead is the dead share", () => {
  const config = { ...QUICK_CONFIG.model, golTimesteps: 3, modelTimesteps: 3 };
  const set = runSequences(config, "eval", 40, 7);
  const references = metricReferences(set, config);
  const cells = references.cellAccuracy!;
  assert.equal(cells.copyInput[0], 1);
  assert.equal(cells.copyFinal[3], 1);
  // The all-dead board's accuracy at index 2 is the share of dead cells in state s_3.
  let dead = 0;
  for (let s = 0; s < set.count; s++) for (const cell of stateOf(set, s, 2)) dead += 1 - cell;
  assert.equal(cells.allDead[2], dead / (set.count * set.rows * set.cols));
  // Between input and output no trivial board is exact, and the best of them is their maximum.
  const best = bestTrivialCells(references)!;
  for (const t of [1, 2]) {
    assert.ok(best[t] < 1, `index ${t}`);
    assert.equal(best[t], Math.max(cells.allDead[t], cells.copyInput[t], cells.copyFinal[t]));
  }
  assert.equal(bestTrivialCells({ ...references, cellAccuracy: undefined }), null);
});
