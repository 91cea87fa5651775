/**
 * Getting many runs: stored ones are reused at once, missing ones are trained in worker
 * processes (default one per core, `IMAGINATION_WORKERS` to change). Processes that share a
 * run store also share its worker slots and never train the same run twice at once, so test
 * files running in parallel neither oversubscribe the cores nor duplicate work. Progress
 * (runs done of total, the current step of each, ETA) goes to stderr.
 *
 * @module
 */
import { type RunSpec, RunStore, specHash, type StoredRun } from "./store.ts";
import type { RunProgress } from "./kinds.ts";

/** Options of {@link ensureRuns}. */
export interface PoolOptions {
  /** Store (default: a new RunStore()). */
  store?: RunStore;
  /** Parallel worker processes (default: IMAGINATION_WORKERS, else the number of cores). */
  workers?: number;
  /** Label for the progress line. */
  label?: string;
  /** Silence progress output. */
  quiet?: boolean;
}

function processAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/** Takes a lock file holding our pid; a lock whose process is gone is taken over. */
function tryLock(path: string): boolean {
  try {
    Deno.writeTextFileSync(path, String(Deno.pid), { createNew: true });
    return true;
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    let owner = NaN;
    try {
      owner = Number(Deno.readTextFileSync(path));
    } catch { /* released meanwhile */ }
    if (Number.isFinite(owner) && owner > 0 && processAlive(owner)) return false;
    try {
      Deno.removeSync(path);
    } catch { /* someone else took it over */ }
    return false;
  }
}

function unlock(path: string): void {
  try {
    Deno.removeSync(path);
  } catch { /* already gone */ }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function defaultWorkers(): number {
  const fromEnv = Number(Deno.env.get("IMAGINATION_WORKERS"));
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const minutes = Math.floor(seconds / 60);
  return minutes > 0
    ? `${minutes}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`
    : `${Math.round(seconds)}s`;
}

/**
 * Returns every spec's stored run, training what is missing.
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
  const store = options.store ?? new RunStore();
  store.clean();
  const workers = options.workers ?? defaultWorkers();
  const slotsDir = `${store.root}/.slots`;
  Deno.mkdirSync(slotsDir, { recursive: true });
  const unique = new Map(specs.map((spec) => [specHash(spec), spec]));
  const missing = [...unique.values()].filter((spec) => !store.read(spec));
  const total = unique.size;
  let done = total - missing.length;
  const started = performance.now();
  let trainedSeconds = 0, trained = 0;
  const current = new Map<string, RunProgress>();
  const label = options.label ?? "runs";
  const interactive = Deno.stderr.isTerminal();
  let lastPrint = 0;
  const show = (force = false) => {
    if (options.quiet) return;
    const now = performance.now();
    if (!force && now - lastPrint < (interactive ? 500 : 30_000)) return;
    lastPrint = now;
    const perRun = trained > 0 ? trainedSeconds / trained : NaN;
    const eta = (total - done) * perRun / Math.min(workers, Math.max(1, total - done));
    const steps = [...current.values()].map((p) => `${p.phase} ${p.step}/${p.steps}`).join(", ");
    const line = `[${label}] runs ${done}/${total} done${steps ? ` | ${steps}` : ""} | ETA ${
      formatDuration(eta)
    }`;
    if (interactive) Deno.stderr.writeSync(new TextEncoder().encode(`\r\x1b[K${line}`));
    else console.error(line);
  };
  const failures: string[] = [];
  const queue = [...missing];
  async function trainOne(spec: RunSpec): Promise<void> {
    const hash = specHash(spec);
    const runLock = `${store.root}/${hash}.lock`;
    // Another process may be training this very run: wait for it instead.
    while (!tryLock(runLock)) {
      if (store.read(spec)) return;
      await sleep(1000);
    }
    let slot = "";
    try {
      if (store.read(spec)) return;
      while (!slot) {
        for (let i = 0; i < workers && !slot; i++) {
          if (tryLock(`${slotsDir}/${i}.lock`)) slot = `${slotsDir}/${i}.lock`;
        }
        if (!slot) await sleep(500);
      }
      const runStart = performance.now();
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", new URL("./worker.ts", import.meta.url).pathname],
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
        env: { IMAGINATION_RUNS_DIR: store.root },
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(JSON.stringify(spec)));
      await writer.close();
      const stderrText = new Response(child.stderr).text();
      let buffered = "";
      for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          try {
            const message = JSON.parse(line);
            if (message.progress) {
              current.set(hash, message.progress);
              show();
            }
          } catch { /* not a progress line */ }
        }
      }
      const status = await child.status;
      current.delete(hash);
      if (!status.success || !store.read(spec)) {
        const tail = (await stderrText).trim().split("\n").slice(-5).join("\n");
        failures.push(`run ${hash} (seed ${spec.seed}): worker exited ${status.code}\n${tail}`);
        return;
      }
      trainedSeconds += (performance.now() - runStart) / 1000;
      trained++;
      done++;
      show(true);
    } finally {
      if (slot) unlock(slot);
      unlock(runLock);
    }
  }
  show(true);
  await Promise.all(Array.from({ length: Math.min(workers, queue.length) }, async () => {
    for (let spec = queue.shift(); spec; spec = queue.shift()) await trainOne(spec);
  }));
  if (!options.quiet && missing.length > 0) {
    if (interactive) Deno.stderr.writeSync(new TextEncoder().encode("\n"));
    console.error(
      `[${label}] ${missing.length} runs trained in ${
        formatDuration((performance.now() - started) / 1000)
      }`,
    );
  }
  if (failures.length > 0) {
    throw new Error(`${failures.length} runs failed:\n${failures.join("\n")}`);
  }
  return specs.map((spec) => {
    const stored = store.read<R>(spec);
    if (!stored) throw new Error(`run ${specHash(spec)} missing after training`);
    return stored;
  });
}
