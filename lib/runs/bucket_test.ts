import assert from "node:assert/strict";
import { AwsClient } from "aws4fetch";
import { BucketStore } from "./bucket.ts";
import { registerKinds } from "./kinds.ts";
import { openStore } from "./open.ts";
import { ensureRuns } from "./pool.ts";
import { specHash } from "./store.ts";
import { KINDS } from "./testdata/kinds.ts";
import { type S3Server, startS3Server } from "./testdata/servers.ts";

registerKinds(KINDS, new URL("./testdata/kinds.ts", import.meta.url).href);

const spec = { kind: "echo", config: { value: 7 }, seed: 3, scale: "test" };
const result = { echo: 7, backend: { name: "none" }, seconds: { total: 0 } };

/** A store on the server under a fresh prefix, with a fresh cache (a new reader). */
function storeOn(s3: S3Server, prefix: string, endpoint = s3.endpoint): BucketStore {
  return new BucketStore({
    endpoint,
    bucket: "runs",
    prefix,
    accessKeyId: s3.env.AWS_ACCESS_KEY_ID,
    secretAccessKey: s3.env.AWS_SECRET_ACCESS_KEY,
    cacheDir: Deno.makeTempDirSync(),
  });
}

/** Keys under a prefix, listed directly on the server. */
async function keysUnder(s3: S3Server, prefix: string): Promise<string[]> {
  const client = new AwsClient({ accessKeyId: "S3RVER", secretAccessKey: "S3RVER", service: "s3" });
  const body = await (await client.fetch(`${s3.endpoint}/runs?list-type=2&prefix=${prefix}`))
    .text();
  return [...body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => match[1]);
}

async function withS3(test: (s3: S3Server) => Promise<void>): Promise<void> {
  const s3 = await startS3Server();
  try {
    await test(s3);
  } finally {
    await s3.close();
  }
}

Deno.test("a run written to the bucket is read back by another reader, files and all", () =>
  withS3(async (s3) => {
    const writer = storeOn(s3, "a");
    assert.equal(await writer.read(spec), null);
    await writer.write(spec, result, { "weights.bin": new Uint8Array([1, 2, 3]) });
    const reader = storeOn(s3, "a");
    const stored = await reader.read(spec);
    assert.deepEqual(stored?.result, result);
    assert.deepEqual(Deno.readFileSync(`${stored!.dir}/weights.bin`), new Uint8Array([1, 2, 3]));
    assert.equal(reader.location, "s3://runs/a");
    assert.equal(await storeOn(s3, "another").read(spec), null, "prefixes are separate stores");
  }));

Deno.test("a cached entry is not returned once the bucket lost it", () =>
  withS3(async (s3) => {
    const store = storeOn(s3, "lost");
    await store.write(spec, result);
    assert.ok(await store.read(spec), "read back (from the cache)");
    const client = new AwsClient({
      accessKeyId: "S3RVER",
      secretAccessKey: "S3RVER",
      service: "s3",
    });
    await client.fetch(`${s3.endpoint}/runs/lost/${specHash(spec)}/entry.json`, {
      method: "DELETE",
    });
    assert.equal(await store.read(spec), null);
  }));

Deno.test("a second writer of the same run keeps the first entry", () =>
  withS3(async (s3) => {
    await storeOn(s3, "b").write(spec, result);
    await storeOn(s3, "b").write(spec, { ...result, echo: 8 });
    assert.equal((await storeOn(s3, "b").read<typeof result>(spec))?.result.echo, 7);
  }));

Deno.test("a bucket that refuses writes gives a clear error and leaves no half-written entry", () =>
  withS3(async (s3) => {
    // A proxy that accepts the entry's files but refuses its marker, as a bucket whose quota
    // or policy stops a write midway.
    const proxy = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
      const url = new URL(request.url);
      if (request.method === "PUT" && url.pathname.endsWith("/entry.json")) {
        return new Response(
          "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
          { status: 403 },
        );
      }
      return fetch(`${s3.endpoint}${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
      });
    });
    try {
      const refusing = storeOn(s3, "c", `http://127.0.0.1:${proxy.addr.port}`);
      await assert.rejects(
        () => refusing.write(spec, result, { "weights.bin": new Uint8Array(1000) }),
        new RegExp(
          `run ${specHash(spec)} not stored: bucket s3://runs/c refused PUT ` +
            `${specHash(spec)}/entry.json: 403 AccessDenied: Access Denied; no entry was written`,
        ),
      );
      assert.equal(await storeOn(s3, "c").read(spec), null, "no entry");
      assert.deepEqual(await keysUnder(s3, "c/"), [], "its files were removed");
    } finally {
      await proxy.shutdown();
    }
  }));

Deno.test("a damaged marker is moved aside and the run can be written again", () =>
  withS3(async (s3) => {
    const store = storeOn(s3, "d");
    const client = new AwsClient({
      accessKeyId: "S3RVER",
      secretAccessKey: "S3RVER",
      service: "s3",
    });
    await client.fetch(`${s3.endpoint}/runs/d/${specHash(spec)}/entry.json`, {
      method: "PUT",
      body: '{"spec": {"ki',
    });
    assert.equal(await store.read(spec), null);
    assert.match(store.healed[0], /entry.json is not JSON .* moved to s3:\/\/runs\/d\/.damaged\//);
    await store.write(spec, result);
    assert.deepEqual((await storeOn(s3, "d").read(spec))?.result, result);
  }));

Deno.test("a bucket lease is exclusive while held, free once released, taken over once expired", () =>
  withS3(async (s3) => {
    const [one, two] = [storeOn(s3, "e"), storeOn(s3, "e")];
    const lease = await one.acquire("run-x", { leaseMs: 600 });
    assert.ok(lease);
    assert.equal(await two.acquire("run-x"), null);
    await lease.release();
    const again = await two.acquire("run-x", { leaseMs: 600 });
    assert.ok(again);
    // A holder that stops renewing (killed) loses its lease once it expires.
    const stalled = await one.acquire("run-y", { leaseMs: 300 });
    assert.ok(stalled);
    await stalled.release();
    const client = new AwsClient({
      accessKeyId: "S3RVER",
      secretAccessKey: "S3RVER",
      service: "s3",
    });
    await client.fetch(`${s3.endpoint}/runs/e/.locks/run-z`, {
      method: "PUT",
      body: JSON.stringify({ host: "dead", pid: 1, token: "t", expires: Date.now() - 1 }),
    });
    const taken = await two.acquire("run-z");
    assert.ok(taken, "an expired lease is taken over");
    await Promise.all([again.release(), taken.release()]);
  }));

Deno.test("the local pool's worker processes store their runs in the bucket", () =>
  withS3(async (s3) => {
    for (const [name, value] of Object.entries(s3.env)) Deno.env.set(name, value);
    try {
      const store = openStore("s3://runs/f", { cacheDir: Deno.makeTempDirSync() });
      const specs = [1, 2, 3].map((seed) => ({ ...spec, seed }));
      const runs = await ensureRuns<typeof result>(specs, { store, workers: 2, quiet: true });
      assert.deepEqual(runs.map((run) => run.result.echo), [7, 7, 7]);
      for (const one of specs) {
        const stored = await storeOn(s3, "f").read(one);
        assert.deepEqual(
          Deno.readFileSync(`${stored!.dir}/weights.bin`),
          new Uint8Array([one.seed, 7]),
        );
      }
    } finally {
      for (const name of Object.keys(s3.env)) Deno.env.delete(name);
    }
  }));

Deno.test("a bucket location without keys is refused with the variables to set", () => {
  assert.throws(
    () => openStore("s3://runs/x", { env: {} }),
    /store "s3:\/\/runs\/x": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
  );
});
