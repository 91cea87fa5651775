import assert from "node:assert/strict";
import { RunStore, specHash, stableJson } from "./store.ts";

const spec = { kind: "test", config: { b: 2, a: [1, { d: 4, c: 3 }] }, seed: 7, scale: "quick" };

Deno.test("equal specs hash equally whatever the key order; any change changes the hash", () => {
  assert.equal(stableJson({ b: 1, a: 2 }), stableJson({ a: 2, b: 1 }));
  const reordered = {
    scale: "quick",
    seed: 7,
    config: { a: [1, { c: 3, d: 4 }], b: 2 },
    kind: "test",
  };
  assert.equal(specHash(spec), specHash(reordered));
  assert.notEqual(specHash(spec), specHash({ ...spec, seed: 8 }));
  assert.notEqual(specHash(spec), specHash({ ...spec, config: { ...spec.config, b: 3 } }));
});

Deno.test("a stored run is read back; a missing one is null", () => {
  const store = new RunStore(Deno.makeTempDirSync());
  assert.equal(store.read(spec), null);
  store.write(spec, { metric: 0.5 }, { "weights.bin": new Uint8Array([1, 2, 3]) });
  assert.deepEqual(store.read(spec)?.result, { metric: 0.5 });
  assert.deepEqual(
    Deno.readFileSync(`${store.dirOf(spec)}/weights.bin`),
    new Uint8Array([1, 2, 3]),
  );
});

Deno.test("a run killed midway leaves no entry, and its leftovers are cleaned", () => {
  const store = new RunStore(Deno.makeTempDirSync());
  // What a killed writer leaves: a temporary folder with a partial result.
  const partial = `${store.dirOf(spec)}.tmp-999-deadbeef`;
  Deno.mkdirSync(partial);
  Deno.writeTextFileSync(`${partial}/result.json`, '{"metr');
  assert.equal(store.read(spec), null);
  assert.equal(store.clean(), 1);
  store.write(spec, { metric: 1 });
  assert.deepEqual(store.read(spec)?.result, { metric: 1 });
});

Deno.test("a second writer of the same run keeps the first entry", () => {
  const store = new RunStore(Deno.makeTempDirSync());
  store.write(spec, { metric: 1 });
  store.write(spec, { metric: 2 });
  assert.deepEqual(store.read(spec)?.result, { metric: 1 });
  assert.equal([...Deno.readDirSync(store.root)].length, 1);
});

Deno.test("a corrupt result names the folder to delete", () => {
  const store = new RunStore(Deno.makeTempDirSync());
  Deno.mkdirSync(store.dirOf(spec));
  Deno.writeTextFileSync(`${store.dirOf(spec)}/result.json`, "{");
  assert.throws(() => store.read(spec), /unreadable .* delete/);
});
