import assert from "node:assert/strict";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { QUICK_CONFIG } from "../models/config.ts";
import { registerKinds } from "../runs/kinds.ts";
import { openStore } from "../runs/open.ts";
import { ensureRuns } from "../runs/pool.ts";
import { DEFAULT_QUEUE, enqueueSpecs, QueueRunner, sweepProgress } from "../runs/queue.ts";
import { type RunSpec, RunStore, specHash, type StoredRun } from "../runs/store.ts";
import { KINDS as TEST_KINDS } from "../runs/testdata/kinds.ts";
import {
  REDIS_SERVER,
  type RedisServer,
  startRedis,
  startS3Server,
} from "../runs/testdata/servers.ts";
import { registerExperimentKinds } from "./run_kinds.ts";

if (!REDIS_SERVER) {
  console.log(
    "queue_worker_test: skipped, redis-server is not installed (apt-get install redis-server; " +
      ".ci/run installs it)",
  );
}

const ECHO_MODULE = new URL("../runs/testdata/kinds.ts", import.meta.url).href;
registerKinds(TEST_KINDS, ECHO_MODULE);
registerExperimentKinds();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` holds, at most `timeoutMs`; the error says what was awaited. */
async function waitFor(what: string, done: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
}

interface WorkerProcess {
  /** The worker's name in the queue. */
  name: string;
  child: Deno.ChildProcess;
  /** Its stderr so far. */
  log(): string;
  /** SIGTERM, then its exit. */
  stop(): Promise<void>;
}

/** A `deno task worker` process. */
function startWorker(
  redis: string,
  env: Record<string, string>,
  flags: string[] = [],
): WorkerProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("./queue_worker.ts", import.meta.url).pathname,
      "--redis",
      redis,
      "--concurrency",
      "1",
      "--lock-seconds",
      "2",
      ...flags,
    ],
    env: { ...env, IMAGINATION_KIND_MODULES: ECHO_MODULE },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  const reading = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) text += chunk;
  })();
  return {
    name: `${Deno.hostname()}:${child.pid}`,
    child,
    log: () => text,
    stop: async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
      await reading;
    },
  };
}

/** A queue handle for the test to look at jobs. */
function openQueue(redis: RedisServer): { queue: Queue; close(): Promise<void> } {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  connection.on("error", () => {});
  const queue = new Queue(DEFAULT_QUEUE, { connection });
  return {
    queue,
    close: async () => {
      await queue.close();
      connection.disconnect();
    },
  };
}

async function withServers(
  test: (redis: RedisServer, workers: WorkerProcess[]) => Promise<void>,
): Promise<void> {
  const redis = await startRedis();
  const workers: WorkerProcess[] = [];
  try {
    await test(redis, workers);
  } catch (error) {
    for (const worker of workers) console.error(`--- ${worker.name}\n${worker.log()}`);
    throw error;
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await redis.stop();
  }
}

/**
 * What must be identical between two stores: the result less its timings, and the files of
 * the local pool's entry (`reference`), byte for byte.
 */
function content(
  run: StoredRun<Record<string, unknown>>,
  reference: StoredRun<Record<string, unknown>>,
): unknown {
  const { seconds: _seconds, stepsPerSecond: _stepsPerSecond, ...result } = run.result;
  const files = [...Deno.readDirSync(reference.dir)].filter((e) => e.name !== "result.json")
    .map((e) => [e.name, Array.from(Deno.readFileSync(`${run.dir}/${e.name}`))]);
  return { result, files: Object.fromEntries(files) };
}

const tinyGol = {
  model: {
    ...QUICK_CONFIG.model,
    boardSize: 6,
    encodedSize: 4,
    modelTimesteps: 2,
    golTimesteps: 2,
  },
  train: {
    ...QUICK_CONFIG.train,
    maxSteps: 8,
    evalInterval: 4,
    traceInterval: 4,
    trainSequences: 64,
    evalSequences: 16,
    freshDecoderSteps: 2,
    adversarialSteps: 2,
    batchSize: 8,
  },
};

Deno.test({
  name:
    "two workers drain a sweep of 8 specs into a bucket while one is killed; the entries equal the local pool's",
  ignore: !REDIS_SERVER,
  fn: () =>
    withServers(async (redis, workers) => {
      const specs: RunSpec[] = Array.from(
        { length: 8 },
        (_, i) => ({ kind: "gol", config: tinyGol, seed: 100 + i, scale: "test" }),
      );
      const local = await ensureRuns<Record<string, unknown>>(specs, {
        store: new RunStore(Deno.makeTempDirSync()),
        workers: 2,
        quiet: true,
      });
      const s3 = await startS3Server();
      const { queue, close } = openQueue(redis);
      try {
        const env = { ...s3.env, IMAGINATION_STORE: "s3://runs/sweep" };
        const file = Deno.makeTempFileSync({ suffix: ".json" });
        Deno.writeTextFileSync(file, JSON.stringify(specs));
        const sweep = async () => {
          const output = await new Deno.Command(Deno.execPath(), {
            args: [
              "run",
              "--allow-all",
              new URL("./sweep.ts", import.meta.url).pathname,
              "--specs",
              file,
              "--redis",
              redis.url,
            ],
            env,
          }).output();
          assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
          return new TextDecoder().decode(output.stdout);
        };
        assert.match(await sweep(), /8 runs: 0 stored in s3:\/\/runs\/sweep, 8 queued, 0 already/);
        assert.match(await sweep(), /8 runs: 0 stored .*, 0 queued, 8 already on the queue/);
        assert.equal(await queue.count(), 8, "enqueueing twice queues once");

        const started = performance.now();
        workers.push(startWorker(redis.url, env), startWorker(redis.url, env));
        const [doomed, survivor] = workers;
        let killedJob = "";
        await waitFor("a job running on the first worker", async () => {
          const active = await queue.getJobs(["active"]);
          killedJob = active.find((job) => job.processedBy === doomed.name)?.id ?? "";
          return killedJob !== "";
        }, 60_000);
        doomed.child.kill("SIGKILL");
        await doomed.child.status;

        const store = openStore("s3://runs/sweep", { env, cacheDir: Deno.makeTempDirSync() });
        const runner = new QueueRunner({ redis: redis.url, timeoutMs: 120_000 });
        const distributed = await runner.ensure<Record<string, unknown>>(specs, {
          store,
          quiet: true,
        });
        const seconds = (performance.now() - started) / 1000;
        const killed = await queue.getJob(killedJob);
        assert.equal(await killed?.getState(), "completed");
        assert.equal(killed?.returnvalue.worker, survivor.name, "the other worker finished it");
        const identical = distributed.filter((run, i) =>
          JSON.stringify(content(run, local[i])) === JSON.stringify(content(local[i], local[i]))
        ).length;
        const progress = await sweepProgress({ redis: redis.url });
        console.log(
          `8 specs, 2 workers, one killed (SIGKILL) during run ${killedJob}: ` +
            `${identical} of 8 entries identical to the local pool's (results less timings, ` +
            `weights byte for byte); queue ${progress.done} done, ${progress.failed} failed; ` +
            `${seconds.toFixed(1)} s from the workers' start`,
        );
        assert.equal(identical, 8);
        for (const [i, run] of distributed.entries()) {
          assert.deepEqual(
            content(run, local[i]),
            content(local[i], local[i]),
            `run ${specHash(specs[i])}`,
          );
        }
      } finally {
        await close();
        await s3.close();
      }
    }),
});

Deno.test({
  name: "a malformed spec fails at once naming the field, and the worker keeps going",
  ignore: !REDIS_SERVER,
  fn: () =>
    withServers(async (redis, workers) => {
      const storeDir = Deno.makeTempDirSync();
      const store = new RunStore(storeDir);
      const bad = { kind: "echo", config: { value: "x" }, seed: 1, scale: "test" };
      const good = { kind: "echo", config: { value: 5 }, seed: 2, scale: "test" };
      await assert.rejects(
        () => enqueueSpecs([bad], { redis: redis.url, store }),
        /config.value "x": expected a number/,
        "the sweep refuses it before queueing",
      );
      const { queue, close } = openQueue(redis);
      try {
        // Queued by hand, as an older sweep or another tool might.
        await queue.add("run", bad, { jobId: specHash(bad), attempts: 3 });
        await queue.add("run", { kind: "echo", config: { value: 1 } }, {
          jobId: "no-seed",
          attempts: 3,
        });
        await enqueueSpecs([good], { redis: redis.url, store });
        const worker = startWorker(redis.url, { IMAGINATION_STORE: storeDir }, [
          "--exit-when-done",
        ]);
        workers.push(worker);
        await waitFor("the good run stored", async () => (await store.read(good)) !== null, 60_000);
        await waitFor(
          "both bad jobs failed",
          async () => (await queue.getFailedCount()) === 2,
          30_000,
        );
        const failed = await queue.getJob(specHash(bad));
        assert.match(failed!.failedReason, /config.value "x": expected a number/);
        assert.equal(failed!.attemptsMade, 1, "not retried");
        assert.match((await queue.getJob("no-seed"))!.failedReason, /spec.seed undefined/);
        let exited: Deno.CommandStatus | null = null;
        worker.child.status.then((status) => exited = status);
        await waitFor("the worker's exit", () => Promise.resolve(exited !== null), 20_000);
        assert.equal(exited!.code, 0, "with --exit-when-done it exits once the queue is done");
      } finally {
        await close();
      }
    }),
});

Deno.test({
  name: "Redis restarted mid-sweep: the sweep resumes and every run is stored",
  ignore: !REDIS_SERVER,
  fn: () =>
    withServers(async (redis, workers) => {
      const storeDir = Deno.makeTempDirSync();
      const store = new RunStore(storeDir);
      const specs = Array.from({ length: 6 }, (_, i) => ({
        kind: "echo",
        config: { value: i, sleepMs: 800 },
        seed: i,
        scale: "test",
      }));
      assert.equal((await enqueueSpecs(specs, { redis: redis.url, store })).queued, 6);
      workers.push(startWorker(redis.url, { IMAGINATION_STORE: storeDir }));
      const stored = async () =>
        (await Promise.all(specs.map((spec) => store.read(spec)))).filter(Boolean).length;
      await waitFor("a first run stored", async () => (await stored()) >= 1, 60_000);
      const before = await stored();
      await redis.restart();
      await waitFor("every run stored", async () => (await stored()) === 6, 90_000);
      // A job whose lock lapsed during the outage is taken up again and found stored.
      await waitFor(
        "every job done on the queue",
        async () => (await sweepProgress({ redis: redis.url })).done === 6,
        30_000,
      );
      assert.ok(before < 6, `the restart came mid-sweep (${before} of 6 stored before it)`);
      assert.equal((await sweepProgress({ redis: redis.url })).failed, 0);
      assert.match(workers[0].log(), /redis: connection lost; reconnecting/);
      assert.match(workers[0].log(), /redis: connected again/);
    }),
});
