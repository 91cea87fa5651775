import assert from "node:assert/strict";
import { QUICK_CONFIG } from "../models/config.ts";
import { validateRunConfig } from "./validate.ts";

Deno.test("a partial config is completed from the quick defaults", () => {
  const config = validateRunConfig({ model: { modelTimesteps: 4 }, train: { batchSize: 32 } });
  assert.equal(config.model.modelTimesteps, 4);
  assert.equal(config.model.boardSize, QUICK_CONFIG.model.boardSize);
  assert.equal(config.train.batchSize, 32);
});

Deno.test("bad values name the field and the allowed range", () => {
  assert.throws(
    () => validateRunConfig({ model: { boardSize: 2 } }),
    /model.boardSize 2: expected an integer in \[3, 64\]/,
  );
  assert.throws(
    () => validateRunConfig({ train: { learningRate: 0 } }),
    /train.learningRate 0: expected a number in \(0, 1\]/,
  );
  assert.throws(
    () => validateRunConfig({ model: { useRnn: "yes" } }),
    /model.useRnn "yes": expected true or false/,
  );
  assert.throws(
    () => validateRunConfig({ model: { channels: 20 } }),
    /model.channels: unknown field/,
  );
  assert.throws(() => validateRunConfig({ optimiser: {} }), /config.optimiser: unknown field/);
  assert.throws(() => validateRunConfig([]), /config: expected an object/);
});
