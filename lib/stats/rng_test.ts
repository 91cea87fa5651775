import assert from "node:assert/strict";
import { createRng, restoreRng } from "./rng.ts";

Deno.test("a restored generator continues the sequence exactly, spare normal included", () => {
  for (const seed of [0, 7, 20240530]) {
    const rng = createRng(seed);
    for (let i = 0; i < 1000 + seed % 13; i++) rng.uint32();
    rng.normal(); // leaves the pair's second deviate spare
    const saved = structuredClone(rng.state());
    const expected = [rng.normal(), rng.next(), rng.int(97), rng.normal(), rng.normal()];
    const resumed = restoreRng(saved);
    assert.deepEqual(
      [resumed.normal(), resumed.next(), resumed.int(97), resumed.normal(), resumed.normal()],
      expected,
      `seed ${seed}`,
    );
  }
});

Deno.test("a state survives JSON and taking it does not advance the generator", () => {
  const rng = createRng(3);
  const before = rng.state();
  assert.deepEqual(rng.state(), before);
  const copy = restoreRng(JSON.parse(JSON.stringify(before)));
  assert.equal(copy.uint32(), rng.uint32());
  assert.notDeepEqual(rng.state(), before);
});
