/**
 * The distributed mode: a sweep's missing runs are jobs on a BullMQ queue (Redis), drained by
 * queue workers on any machine that share one store (usually a bucket, see bucket.ts).
 *
 * - A job's id is its spec's hash, so enqueueing a sweep twice queues each run once.
 * - A worker runs N jobs at a time, each in a child process (child.ts), so that the lock
 *   renewal of its jobs never starves behind training. Before training it checks the store
 *   for the run, and the child writes the result there.
 * - Delivery is at least once: a job whose worker dies (its lock lapses) is taken up by
 *   another worker; a failed job is retried up to `attempts`; a malformed spec fails at once,
 *   naming the field. A duplicate result is harmless: entries are content-addressed and the
 *   first one stored is kept.
 * - Progress of the whole sweep (done, running, failed, ETA) comes from the queue.
 *
 * @module
 */
import { type Job, Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { runInChild, stopChild } from "./child.ts";
import { checkSpec } from "./kinds.ts";
import type { Runner, RunnerOptions } from "./pool.ts";
import { type RunSpec, RunStore, specHash, type Store, type StoredRun } from "./store.ts";

/** Where the queue is. */
export interface QueueOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  redis: string;
  /** Queue name (default `imagination-runs`). */
  name?: string;
}

/** The default queue name. */
export const DEFAULT_QUEUE = "imagination-runs";

/** A job's result. */
export interface JobOutcome {
  /** The run's hash. */
  hash: string;
  /** Whether the run was found stored (true) or trained by this job (false). */
  reused: boolean;
  /** The worker that finished it (`host:pid`). */
  worker: string;
}

/**
 * A Redis connection as BullMQ needs it: commands wait through an outage (a restarted Redis)
 * instead of failing, and reconnection retries back off to two seconds.
 */
function connect(url: string, onError?: (error: Error) => void): Redis {
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw new Error();
  } catch {
    throw new Error(`redis "${url}": expected redis://host:port`);
  }
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on("error", (error: Error) => onError?.(error));
  return redis;
}

function queueOf(options: QueueOptions): { queue: Queue; redis: Redis } {
  const redis = connect(options.redis);
  return { queue: new Queue(options.name ?? DEFAULT_QUEUE, { connection: redis }), redis };
}

/** The fields a spec must have, checked before its kind's own check; the error names one. */
function checkSpecFields(spec: unknown): RunSpec {
  const fields = spec as Partial<RunSpec> | null;
  if (!fields || typeof fields !== "object") {
    throw new Error(`spec ${JSON.stringify(spec)}: expected an object`);
  }
  if (typeof fields.kind !== "string") {
    throw new Error(`spec.kind ${JSON.stringify(fields.kind)}: expected a string`);
  }
  if (!Number.isSafeInteger(fields.seed)) {
    throw new Error(`spec.seed ${JSON.stringify(fields.seed)}: expected an integer`);
  }
  if (typeof fields.scale !== "string") {
    throw new Error(`spec.scale ${JSON.stringify(fields.scale)}: expected a string`);
  }
  return fields as RunSpec;
}

/** Options of {@link enqueueSpecs}. */
export interface EnqueueOptions extends QueueOptions {
  /** The store the workers write to: runs already there are not queued. */
  store: Store;
  /** Tries per job before it fails (default 3). */
  attempts?: number;
}

/** What {@link enqueueSpecs} did. */
export interface Enqueued {
  /** Distinct runs asked for. */
  total: number;
  /** Runs found stored. */
  stored: number;
  /** Runs put on the queue (or back on it: a failed job is retried). */
  queued: number;
  /** Runs already on the queue. */
  alreadyQueued: number;
}

/**
 * Puts the runs the store lacks on the queue, job id = spec hash. Every spec is checked first
 * (one-line error naming the field); a failed job of the same run is retried, a job still
 * waiting or running is left alone.
 *
 * @example
 * ```ts
 * const { queued } = await enqueueSpecs(specs, { redis: "redis://127.0.0.1:6379", store });
 * ```
 */
export async function enqueueSpecs(
  specs: readonly RunSpec[],
  options: EnqueueOptions,
): Promise<Enqueued> {
  const unique = new Map(specs.map((spec) => [specHash(checkSpecFields(spec)), spec]));
  for (const spec of unique.values()) await checkSpec(spec);
  const { queue, redis } = queueOf(options);
  const counts: Enqueued = { total: unique.size, stored: 0, queued: 0, alreadyQueued: 0 };
  try {
    for (const [hash, spec] of unique) {
      if (await options.store.read(spec)) {
        counts.stored++;
        continue;
      }
      const existing = await queue.getJob(hash);
      const state = existing ? await existing.getState() : "missing";
      if (state === "failed") {
        await existing!.retry("failed");
        counts.queued++;
      } else if (state === "completed") {
        // Done once, but the store lost it (moved aside as damaged, or another store): again.
        await existing!.remove();
        await queue.add("run", spec, { jobId: hash, attempts: options.attempts ?? 3 });
        counts.queued++;
      } else if (state === "missing" || state === "unknown") {
        await queue.add("run", spec, {
          jobId: hash,
          attempts: options.attempts ?? 3,
          backoff: { type: "exponential", delay: 1000 },
        });
        counts.queued++;
      } else {
        counts.alreadyQueued++;
      }
    }
  } finally {
    await queue.close();
    redis.disconnect();
  }
  return counts;
}

/** Progress of the queue's sweep. */
export interface SweepProgress {
  /** Jobs done. */
  done: number;
  /** Jobs running now. */
  running: number;
  /** Jobs waiting (or waiting to be retried). */
  waiting: number;
  /** Jobs failed for good. */
  failed: number;
  /** Estimated seconds until done (NaN before any job finished). */
  etaSeconds: number;
}

/**
 * The sweep's progress from the queue; the ETA spreads the mean time of finished jobs over
 * the jobs running at once.
 *
 * @example
 * ```ts
 * const { done, running, failed } = await sweepProgress({ redis: "redis://127.0.0.1:6379" });
 * ```
 */
export async function sweepProgress(options: QueueOptions): Promise<SweepProgress> {
  const { queue, redis } = queueOf(options);
  try {
    const counts = await queue.getJobCounts();
    const finished = await queue.getJobs(["completed"], 0, 49);
    const times = finished.filter((job) => job.finishedOn && job.processedOn)
      .map((job) => (job.finishedOn! - job.processedOn!) / 1000);
    const waiting = (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
    const running = counts.active ?? 0;
    const mean = times.length ? times.reduce((a, b) => a + b, 0) / times.length : NaN;
    return {
      done: counts.completed ?? 0,
      running,
      waiting,
      failed: counts.failed ?? 0,
      etaSeconds: (waiting + running) * mean / Math.max(1, running),
    };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

/**
 * The progress in one line.
 *
 * @example
 * ```ts
 * progressText(progress); // "sweep: 5 done, 2 running, 1 waiting, 0 failed | ETA 1m05s"
 * ```
 */
export function progressText(progress: SweepProgress): string {
  const eta = progress.etaSeconds;
  const etaText = !Number.isFinite(eta)
    ? "?"
    : eta >= 60
    ? `${Math.floor(eta / 60)}m${String(Math.round(eta % 60)).padStart(2, "0")}s`
    : `${Math.round(eta)}s`;
  return `sweep: ${progress.done} done, ${progress.running} running, ${progress.waiting} ` +
    `waiting, ${progress.failed} failed | ETA ${etaText}`;
}

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions extends QueueOptions {
  /** The store runs are read from and written to. */
  store: Store;
  /** Jobs at a time, each in a child process (default 1). */
  concurrency?: number;
  /** The backend runs train on (default auto). */
  backend?: string;
  /**
   * How long a job's lock lasts unrenewed (default 30 s): after a worker dies, its jobs are
   * taken up by another worker within about this long.
   */
  lockMs?: number;
  /** Called with a line for each job started, finished or failed, and for connection trouble. */
  onEvent?: (line: string) => void;
}

/** A running queue worker. */
export interface QueueWorker {
  /** Its name in the queue (`host:pid`). */
  readonly name: string;
  /** Stops taking jobs, stops the children of running jobs (they return to the queue). */
  close(): Promise<void>;
}

/**
 * Starts a worker draining the queue into the store; it runs until closed.
 *
 * @example
 * ```ts
 * const worker = startQueueWorker({ redis: "redis://127.0.0.1:6379", store, concurrency: 2 });
 * ```
 */
export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const name = `${Deno.hostname()}:${Deno.pid}`;
  const store = options.store;
  const note = options.onEvent ?? (() => {});
  const children = new Set<Deno.ChildProcess>();
  let lastError = "", lost = false;
  const redis = connect(options.redis, (error) => {
    if (error.message !== lastError) note(`redis: ${error.message}`);
    lastError = error.message;
  });
  redis.on("reconnecting", () => {
    if (!lost) note("redis: connection lost; reconnecting");
    lost = true;
  });
  redis.on("ready", () => {
    if (lost) note("redis: connected again");
    lost = false;
    lastError = "";
  });
  const lockMs = options.lockMs ?? 30_000;
  const processJob = async (job: Job): Promise<JobOutcome> => {
    let spec: RunSpec;
    try {
      spec = checkSpecFields(job.data);
      if (specHash(spec) !== job.id) {
        throw new Error(`job id ${job.id} is not its spec's hash ${specHash(spec)}`);
      }
      await checkSpec(spec);
    } catch (error) {
      throw new UnrecoverableError(`run ${job.id}: ${(error as Error).message}`);
    }
    if (await store.read(spec)) return { hash: job.id!, reused: true, worker: name };
    note(`run ${job.id} (${spec.kind}, seed ${spec.seed}): training, try ${job.attemptsMade + 1}`);
    const failure = await runInChild(spec, {
      store,
      backend: options.backend ?? "auto",
      onStart: (child) => children.add(child),
      onProgress: (progress) => job.updateProgress({ ...progress }).catch(() => {}),
    });
    if (failure) throw new Error(failure);
    if (!await store.read(spec)) throw new Error("the worker stored no valid result");
    return { hash: job.id!, reused: false, worker: name };
  };
  const worker = new Worker(options.name ?? DEFAULT_QUEUE, processJob, {
    connection: redis,
    name,
    concurrency: options.concurrency ?? 1,
    lockDuration: lockMs,
    stalledInterval: Math.max(1000, lockMs / 2),
    maxStalledCount: 3,
  });
  worker.on("completed", (job: Job, outcome: JobOutcome) => {
    note(`run ${job.id}: ${outcome.reused ? "found stored" : "stored"}`);
  });
  worker.on("failed", (job: Job | undefined, error: Error) => {
    note(`run ${job?.id}: failed (try ${job?.attemptsMade}): ${error.message}`);
  });
  worker.on("error", (error: Error) => {
    if (error.message !== lastError) note(`queue: ${error.message}`);
  });
  return {
    name,
    close: async () => {
      for (const child of children) stopChild(child, "SIGTERM");
      await worker.close(true);
      redis.disconnect();
    },
  };
}

/** Options of {@link QueueRunner}. */
export interface QueueRunnerOptions extends QueueOptions {
  /** Tries per job (default 3). */
  attempts?: number;
  /** How long to wait for the sweep before giving up (default 7 days). */
  timeoutMs?: number;
}

/**
 * The queue as a {@link Runner}: enqueues the missing runs, waits (with progress from the
 * queue) until queue workers on any machine have stored them, and returns them from the store.
 *
 * @example
 * ```ts
 * const runner = new QueueRunner({ redis: "redis://127.0.0.1:6379" });
 * const runs = await runner.ensure(specs, { store });
 * ```
 */
export class QueueRunner implements Runner {
  readonly #options: QueueRunnerOptions;

  /** A runner on the queue at `options.redis`. */
  constructor(options: QueueRunnerOptions) {
    this.#options = options;
  }

  /** Every spec's stored run, once the queue's workers stored the missing ones. */
  async ensure<R>(
    specs: readonly RunSpec[],
    options: RunnerOptions = {},
  ): Promise<StoredRun<R>[]> {
    const store = options.store ?? new RunStore();
    const label = options.label ?? "sweep";
    await enqueueSpecs(specs, { ...this.#options, store });
    const deadline = Date.now() + (this.#options.timeoutMs ?? 7 * 24 * 3600_000);
    const hashes = [...new Set(specs.map(specHash))];
    const { queue, redis } = queueOf(this.#options);
    let lastPrint = 0;
    try {
      while (true) {
        const states = await Promise.all(hashes.map(async (hash) => {
          const job = await queue.getJob(hash);
          return job ? { job, state: await job.getState() } : null;
        }));
        const failed = states.filter((s) => s?.state === "failed");
        if (failed.length > 0) {
          throw new Error(
            `${failed.length} of ${hashes.length} runs failed:\n` +
              failed.map((s) => `run ${s!.job.id}: ${s!.job.failedReason}`).join("\n"),
          );
        }
        if (states.every((s) => !s || s.state === "completed")) break;
        if (Date.now() > deadline) {
          throw new Error(`[${label}] the sweep is not done after ${this.#options.timeoutMs} ms`);
        }
        if (!options.quiet && Date.now() - lastPrint > 30_000) {
          console.error(`[${label}] ${progressText(await sweepProgress(this.#options))}`);
          lastPrint = Date.now();
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      await queue.close();
      redis.disconnect();
    }
    return await Promise.all(specs.map(async (spec) => {
      const stored = await store.read<R>(spec);
      if (!stored) {
        throw new Error(`run ${specHash(spec)}: done on the queue, not in ${store.location}`);
      }
      return stored;
    }));
  }
}
