import assert from "node:assert/strict";
import { registerKinds } from "./kinds.ts";
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

Deno.test("a stored run is read back; a missing one is null", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  assert.equal(await store.read(spec), null);
  await store.write(spec, { metric: 0.5 }, { "weights.bin": new Uint8Array([1, 2, 3]) });
  assert.deepEqual((await store.read(spec))?.result, { metric: 0.5 });
  assert.deepEqual(
    Deno.readFileSync(`${store.dirOf(spec)}/weights.bin`),
    new Uint8Array([1, 2, 3]),
  );
});

Deno.test("a dead writer's temporary folder is cleaned; a live writer's is left alone", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  const host = Deno.hostname();
  // pid 2^22 + 1 is above Linux's pid_max, so no such process is alive.
  const dead = `${store.dirOf(spec)}.tmp-4194305@${host}-deadbeef`;
  const live = `${store.dirOf(spec)}.tmp-${Deno.pid}@${host}-0badcafe`;
  const remote = `${store.dirOf(spec)}.tmp-1@another-host-12345678`;
  for (const dir of [dead, live, remote]) {
    Deno.mkdirSync(dir);
    Deno.writeTextFileSync(`${dir}/result.json`, '{"metr');
  }
  assert.equal(await store.read(spec), null);
  assert.equal(await store.clean(), 1);
  assert.ok(Deno.statSync(live).isDirectory, "a live writer's folder stays");
  assert.ok(Deno.statSync(remote).isDirectory, "a recent folder of another host stays");
  await store.write(spec, { metric: 1 });
  assert.deepEqual((await store.read(spec))?.result, { metric: 1 });
});

Deno.test("a second writer of the same run keeps the first entry", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  await store.write(spec, { metric: 1 });
  await store.write(spec, { metric: 2 });
  assert.deepEqual((await store.read(spec))?.result, { metric: 1 });
  assert.equal([...Deno.readDirSync(store.root)].length, 1);
});

for (
  const [name, damage, problem] of [
    [
      "truncated result",
      (dir: string) => Deno.writeTextFileSync(`${dir}/result.json`, "{"),
      /not JSON/,
    ],
    [
      "empty result {}",
      (dir: string) => Deno.writeTextFileSync(`${dir}/result.json`, "{}"),
      /empty/,
    ],
    [
      "folder without its result",
      (dir: string) => Deno.removeSync(`${dir}/result.json`),
      /no result/,
    ],
    [
      "another run's spec",
      (dir: string) => Deno.writeTextFileSync(`${dir}/spec.json`, "{}"),
      /spec/,
    ],
  ] as const
) {
  Deno.test(`a damaged entry (${name}) is moved aside, and writing the run again works`, async () => {
    const store = new RunStore(Deno.makeTempDirSync());
    await store.write(spec, { metric: 1 });
    damage(store.dirOf(spec));
    assert.equal(await store.read(spec), null);
    assert.equal(store.healed.length, 1);
    assert.match(store.healed[0], problem);
    assert.equal([...Deno.readDirSync(`${store.root}/.damaged`)].length, 1);
    await store.write(spec, { metric: 2 });
    assert.deepEqual((await store.read(spec))?.result, { metric: 2 });
  });
}

Deno.test("a damaged entry in the way of a write is replaced, not fatal", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  Deno.mkdirSync(store.dirOf(spec));
  Deno.writeTextFileSync(`${store.dirOf(spec)}/weights.bin`, "partial copy");
  await store.write(spec, { metric: 3 });
  assert.deepEqual((await store.read(spec))?.result, { metric: 3 });
});

Deno.test("a result missing a field its kind requires is damaged", async () => {
  registerKinds({
    fielded: {
      load: () => Promise.reject(new Error("not trained here")),
      resultFields: { status: "string", "backend.name": "string" },
      checkSpec: () => Promise.resolve(),
    },
  }, import.meta.url);
  const store = new RunStore(Deno.makeTempDirSync());
  const fielded = { kind: "fielded", config: {}, seed: 1, scale: "test" };
  await store.write(fielded, { status: "ok", backend: {} });
  assert.equal(await store.read(fielded), null);
  assert.match(store.healed[0], /field backend.name is undefined, expected string/);
});

Deno.test("a lease is exclusive while held, free once released", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  const lease = await store.acquire("run-x");
  assert.ok(lease);
  assert.equal(await store.acquire("run-x"), null);
  const lock = JSON.parse(Deno.readTextFileSync(`${store.root}/.locks/run-x`));
  assert.equal(lock.host, Deno.hostname());
  assert.equal(lock.pid, Deno.pid);
  await lease.release();
  const again = await store.acquire("run-x");
  assert.ok(again);
  await again.release();
});

Deno.test("an expired lease of a live process on another host is taken over", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  Deno.mkdirSync(`${store.root}/.locks`);
  const path = `${store.root}/.locks/run-y`;
  const remote = { host: "another-host", pid: 1, token: "t" };
  Deno.writeTextFileSync(path, JSON.stringify({ ...remote, expires: Date.now() + 60_000 }));
  assert.equal(await store.acquire("run-y"), null, "a live lease is respected");
  Deno.writeTextFileSync(path, JSON.stringify({ ...remote, expires: Date.now() - 1 }));
  const lease = await store.acquire("run-y");
  assert.ok(lease);
  assert.equal(JSON.parse(Deno.readTextFileSync(path)).pid, Deno.pid);
  await lease.release();
});

Deno.test("a lease renews itself, and knows when it was taken over", async () => {
  const store = new RunStore(Deno.makeTempDirSync());
  const lease = (await store.acquire("run-z", { leaseMs: 300 }))!;
  const path = `${store.root}/.locks/run-z`;
  const first = JSON.parse(Deno.readTextFileSync(path)).expires;
  await new Promise((resolve) => setTimeout(resolve, 250));
  assert.ok(JSON.parse(Deno.readTextFileSync(path)).expires > first, "renewed");
  Deno.writeTextFileSync(path, JSON.stringify({ host: "h", pid: 1, token: "other", expires: 0 }));
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(lease.held(), false);
  await lease.release();
  assert.equal(JSON.parse(Deno.readTextFileSync(path)).token, "other", "release keeps another's");
});
