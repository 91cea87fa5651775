/**
 * Getting many runs on this machine, the local {@link Runner}: stored ones are reused at once,
 * missing ones are trained in worker processes (default one per core, `IMAGINATION_WORKERS` to
 * change). Processes that share a run store never train the same run twice at once (a lease
 * per run, in the store), and processes of one machine share its worker slots, so test files
 * running in parallel neither oversubscribe the cores nor duplicate work. Progress (runs done
 * of total, the current step of each, ETA) goes to stderr.
 *
 * Every spec is checked before any worker starts. A worker runs in its own process group and
 * dies with its parent (see worker.ts); SIGINT and SIGTERM stop the workers, keep every
 * finished run, and end the sweep with an {@link Interrupted} error.
 *
 * @module
 */
import { type BackendName, parseBackendName } from "../backend/backend.ts";
import { runInChild, stopChild } from "./child.ts";
import { runSeconds } from "./timing.ts";
import { checkSpec, type RunProgress } from "./kinds.ts";
import {
  type Lease,
  type RunSpec,
  RunStore,
  specHash,
  stableJson,
  type Store,
  type StoredRun,
} from "./store.ts";

/** What a runner is given besides the specs. */
export interface RunnerOptions {
  /** Store (default: a new RunStore()). */
  store?: Store;
  /** Label for the progress line. */
  label?: string;
  /** Silence progress output. */
  quiet?: boolean;
  /**
   * Called once for each run the local pool trained, after it is stored (not for runs found
   * stored; the queue runner's runs are stored by workers elsewhere): a sweep records its
   * evidence as it lands. Awaited before the next run of the
   * same worker starts; a throw fails that run, not the sweep.
   */
  onStored?: (run: StoredRun<unknown>) => void | Promise<void>;
}

/**
 * Gets runs stored: trains the ones the store lacks, reporting progress, and returns every
 * spec's stored run in order. The local worker-process pool ({@link localPool}) is one
 * runner; the queue (`QueueRunner`, queue.ts), which workers on any machine drain, another.
 */
export interface Runner {
  /** Every spec's stored run, training what is missing. */
  ensure<R>(specs: readonly RunSpec[], options?: RunnerOptions): Promise<StoredRun<R>[]>;
}

/** Options of {@link ensureRuns}. */
export interface PoolOptions extends RunnerOptions {
  /** Parallel worker processes (default: IMAGINATION_WORKERS, else the number of cores). */
  workers?: number;
  /**
   * The backend runs must come from (default: IMAGINATION_BACKEND, else `auto`, which takes
   * any). A stored run from another backend is refused with a message.
   */
  backend?: string;
}

/** A sweep stopped by SIGINT or SIGTERM; the runs that finished are stored. */
export class Interrupted extends Error {
  /** The signal. */
  readonly signal: Deno.Signal;

  /** An interruption by `signal`. */
  constructor(signal: Deno.Signal, message: string) {
    super(message);
    this.signal = signal;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The number of parallel workers `IMAGINATION_WORKERS` asks for, else the number of cores.
 *
 * @example
 * ```ts
 * workersFromEnv(); // 2 on a 2-core machine
 * ```
 */
export function workersFromEnv(): number {
  const text = Deno.env.get("IMAGINATION_WORKERS");
  if (text === undefined) return Math.max(1, navigator.hardwareConcurrency || 1);
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`IMAGINATION_WORKERS "${text}": expected a positive integer`);
  }
  return value;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const whole = Math.round(seconds);
  const [hours, minutes] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60)];
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, "0")}m`;
  return minutes > 0 ? `${minutes}m${String(whole % 60).padStart(2, "0")}s` : `${whole}s`;
}

/** Seconds a run took, summed over the runs of one configuration. */
export interface ConfigTiming {
  /** The runs' kind ("gol", "lstm", "chess"). */
  kind: string;
  /** Summed seconds. */
  seconds: number;
  /** Runs summed. */
  runs: number;
}

/**
 * The sweep's remaining wall time: each run not yet stored is expected to take the mean of the
 * finished runs of its own configuration (kind and config; a sweep mixes runs of seconds with
 * runs of half an hour), else of its kind, else of all finished runs; a running run is credited
 * with the time it has run. The total is spread over the workers, and is never less than the
 * longest run left. NaN before any run is timed.
 *
 * @example
 * ```ts
 * const timed = new Map([
 *   ["a", { kind: "lstm", seconds: 20, runs: 2 }],
 *   ["b", { kind: "gol", seconds: 600, runs: 1 }],
 * ]);
 * sweepEta([{ key: "a", kind: "lstm", elapsed: 0 }, { key: "b", kind: "gol", elapsed: 100 }], timed, 2); // 500
 * ```
 */
export function sweepEta(
  pending: readonly { key: string; kind: string; elapsed: number }[],
  timed: ReadonlyMap<string, ConfigTiming>,
  workers: number,
): number {
  if (pending.length === 0) return 0;
  const mean = (timings: ConfigTiming[]) => {
    const runs = timings.reduce((sum, t) => sum + t.runs, 0);
    return runs > 0 ? timings.reduce((sum, t) => sum + t.seconds, 0) / runs : NaN;
  };
  const all = [...timed.values()];
  const left = pending.map((run) => {
    const own = timed.get(run.key);
    const ofKind = mean(all.filter((t) => t.kind === run.kind));
    const expected = own ? mean([own]) : Number.isNaN(ofKind) ? mean(all) : ofKind;
    return Math.max(0, expected - run.elapsed);
  });
  const total = left.reduce((sum, value) => sum + value, 0);
  return Math.max(total / Math.min(workers, pending.length), ...left);
}

function describe(spec: RunSpec): string {
  return `run ${specHash(spec)} (${spec.kind}, seed ${spec.seed})`;
}

/** The refusal of a stored run from another backend than the one asked for, or null. */
function backendRefusal(stored: StoredRun<unknown>, backend: BackendName): string | null {
  const storedBackend = (stored.result as { backend?: { name?: string } }).backend?.name;
  if (backend === "auto" || storedBackend === undefined || storedBackend === backend) return null;
  return `${describe(stored.spec)} is stored from backend ${storedBackend}, not ${backend}: ` +
    `leave out --backend (and IMAGINATION_BACKEND) to reuse it, or move ${stored.dir} aside ` +
    `to train it again on ${backend}`;
}

/**
 * Returns every spec's stored run, training what is missing. Errors: one line per spec that
 * cannot run or failed; {@link Interrupted} after SIGINT or SIGTERM.
 *
 * @example
 * ```ts
 * const runs = await ensureRuns(specs, { label: "table 1" });
 * ```
 */
export async function ensureRuns<R>(
  specs: readonly RunSpec[],
  options: PoolOptions = {},
): Promise<StoredRun<R>[]> {
  const backend = parseBackendName(
    options.backend ?? Deno.env.get("IMAGINATION_BACKEND") ?? "auto",
  );
  // The variable is checked even when the caller sets the count, so a typo never goes unseen.
  const workersInEnv = workersFromEnv();
  const workers = options.workers ?? workersInEnv;
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new Error(`workers ${workers}: expected a positive integer`);
  }
  const store = options.store ?? new RunStore();
  // Slots are this machine's: a shared store's would limit every machine together.
  const slots = new RunStore(store.localDir);
  const label = options.label ?? "runs";
  const note = (line: string) => {
    if (!options.quiet) console.error(`[${label}] ${line}`);
  };
  await store.clean();
  const unique = new Map(specs.map((spec) => [specHash(spec), spec]));
  const missing: RunSpec[] = [];
  const refusals: string[] = [];
  // Per configuration, how long its finished runs took: the ETA's estimate for the rest.
  const timed = new Map<string, ConfigTiming>();
  const configKey = (spec: RunSpec) => stableJson({ kind: spec.kind, config: spec.config });
  const addTiming = (spec: RunSpec, seconds: number) => {
    const timing = timed.get(configKey(spec)) ?? { kind: spec.kind, seconds: 0, runs: 0 };
    timed.set(configKey(spec), {
      ...timing,
      seconds: timing.seconds + seconds,
      runs: timing.runs + 1,
    });
  };
  for (const spec of unique.values()) {
    const stored = await store.read(spec);
    const refusal = stored && backendRefusal(stored, backend);
    if (refusal) refusals.push(refusal);
    else if (!stored) missing.push(spec);
    const seconds = stored && runSeconds(stored.result);
    if (seconds) addTiming(spec, seconds);
  }
  store.healed.splice(0).forEach(note);
  if (refusals.length > 0) throw new Error(refusals.join("\n"));
  const checked = new Set<string>();
  for (const spec of missing) {
    const key = stableJson({ kind: spec.kind, config: spec.config });
    if (!checked.has(key)) await checkSpec(spec);
    checked.add(key);
  }

  const total = unique.size;
  let trained = 0, reused = total - missing.length;
  const started = performance.now();
  const current = new Map<string, RunProgress>();
  // Runs not stored yet, by hash, with when each started (null: waiting).
  const pending = new Map(missing.map((spec) => [specHash(spec), null as number | null]));
  const interactive = Deno.stderr.isTerminal();
  let lastPrint = 0;
  const show = (force = false) => {
    if (options.quiet) return;
    const now = performance.now();
    if (!force && now - lastPrint < (interactive ? 500 : 30_000)) return;
    lastPrint = now;
    const done = trained + reused;
    const eta = sweepEta(
      [...pending].map(([hash, since]) => ({
        key: configKey(unique.get(hash)!),
        kind: unique.get(hash)!.kind,
        elapsed: since === null ? 0 : (now - since) / 1000,
      })),
      timed,
      workers,
    );
    const steps = [...current.values()].map((p) => `${p.phase} ${p.step}/${p.steps}`).join(", ");
    const line = `[${label}] runs ${done}/${total} done${steps ? ` | ${steps}` : ""} | ETA ${
      formatDuration(eta)
    }`;
    if (interactive) Deno.stderr.writeSync(new TextEncoder().encode(`\r\x1b[K${line}`));
    else console.error(line);
  };

  const failures: string[] = [];
  const queue = [...missing];
  const children = new Set<Deno.ChildProcess>();
  let interrupted: Deno.Signal | null = null;
  const stopChildren = (signal: Deno.Signal) => {
    for (const child of children) stopChild(child, signal);
  };
  const onSignal = (signal: Deno.Signal) => () => {
    if (interrupted) {
      stopChildren("SIGKILL");
      Deno.exit(signal === "SIGINT" ? 130 : 143);
    }
    interrupted = signal;
    queue.length = 0;
    stopChildren("SIGTERM");
  };
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = onSignal(signal);
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  async function runWorker(spec: RunSpec): Promise<string | null> {
    const hash = specHash(spec);
    let started: Deno.ChildProcess | undefined;
    try {
      return await runInChild(spec, {
        store,
        backend,
        onStart: (child) => children.add(started = child),
        onProgress: (progress) => {
          current.set(hash, progress);
          show();
        },
      });
    } finally {
      if (started) children.delete(started);
      current.delete(hash);
    }
  }

  async function trainOne(spec: RunSpec): Promise<void> {
    const hash = specHash(spec);
    // Another process may be training this very run: wait for it instead.
    let runLease: Lease | null;
    while (!(runLease = await store.acquire(`run-${hash}`))) {
      if (await store.read(spec)) {
        pending.delete(hash);
        reused++;
        return;
      }
      if (interrupted) return;
      await sleep(1000);
    }
    let slot: Lease | null = null;
    try {
      if (await store.read(spec)) {
        pending.delete(hash);
        reused++;
        return;
      }
      while (!slot) {
        for (let i = 0; i < workers && !slot; i++) slot = await slots.acquire(`slot-${i}`);
        if (interrupted) return;
        if (!slot) await sleep(500);
      }
      const runStart = performance.now();
      pending.set(hash, runStart);
      const failure = await runWorker(spec);
      if (interrupted) return;
      pending.delete(hash);
      const stored = failure ? null : await store.read(spec);
      if (!stored) {
        failures.push(`${describe(spec)}: ${failure ?? "the worker stored no valid result"}`);
        return;
      }
      addTiming(spec, runSeconds(stored.result) ?? (performance.now() - runStart) / 1000);
      trained++;
      show(true);
      try {
        await options.onStored?.(stored);
      } catch (error) {
        failures.push(`${describe(spec)}: stored, but ${(error as Error).message}`);
      }
    } finally {
      await slot?.release();
      await runLease.release();
    }
  }

  try {
    if (missing.length > 0) show(true);
    await Promise.all(Array.from({ length: Math.min(workers, queue.length) }, async () => {
      for (let spec = queue.shift(); spec; spec = queue.shift()) await trainOne(spec);
    }));
  } finally {
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
  }
  store.healed.splice(0).forEach(note);
  if (missing.length > 0) {
    if (interactive && !options.quiet) Deno.stderr.writeSync(new TextEncoder().encode("\n"));
    note(
      `${total} runs: ${trained} trained, ${reused} reused, ${failures.length} failed in ${
        formatDuration((performance.now() - started) / 1000)
      }`,
    );
  }
  if (interrupted) {
    throw new Interrupted(
      interrupted,
      `interrupted by ${interrupted}: ${trained + reused} of ${total} runs are stored; ` +
        "run the same command again to resume",
    );
  }
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${total} runs failed:\n${failures.join("\n")}`);
  }
  return await Promise.all(specs.map(async (spec) => {
    const stored = await store.read<R>(spec);
    if (!stored) {
      throw new Error(`${describe(spec)}: missing from ${store.location} after training`);
    }
    return stored;
  }));
}

/**
 * The local worker-process pool as a {@link Runner} (see {@link ensureRuns}).
 *
 * @example
 * ```ts
 * const runs = await localPool.ensure(specs, { store, label: "table 1" });
 * ```
 */
export const localPool: Runner = {
  ensure: (specs, options) => ensureRuns(specs, options),
};
