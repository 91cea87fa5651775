/**
 * The content-addressed run store. A {@link RunSpec} (plain data: kind, config, seed, scale)
 * hashes to an entry holding `spec.json`, `result.json` and any weight files.
 *
 * {@link Store} is what the pool needs of a store; {@link RunStore}, a local folder, is one, and
 * `BucketStore` (bucket.ts), an S3-compatible bucket, another. Its methods are asynchronous so
 * that a remote store fits the same interface.
 * Writes are atomic: everything goes to a temporary folder that is renamed into place, so a
 * run killed midway leaves no entry and is simply redone. Reads check the entry: a result that
 * is not valid JSON, `{}`, misses a field its kind requires, or a folder without its result or
 * with another spec is *damaged*; it is moved aside to `.damaged/` and the run is redone.
 * Locks are leases that name their host and process and expire unless renewed.
 *
 * The folder is `IMAGINATION_RUNS_DIR`, else `runs/` in the working directory.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { checkResult } from "./kinds.ts";
import type { RunSpec } from "./spec.ts";

export type { RunSpec };

/**
 * Bump when a code change alters what a run computes: old entries then stop matching.
 */
export const STORE_VERSION = 2;

/**
 * JSON with object keys sorted, so equal specs give equal text.
 *
 * @example
 * ```ts
 * stableJson({ b: 1, a: 2 }); // '{"a":2,"b":1}'
 * ```
 */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The run's hash: 16 hex digits of SHA-256 over the spec and the store version.
 *
 * @example
 * ```ts
 * specHash({ kind: "gol", config: {}, seed: 1, scale: "quick" }); // "3f2a..."
 * ```
 */
export function specHash(spec: RunSpec): string {
  return createHash("sha256").update(stableJson({ ...spec, storeVersion: STORE_VERSION }))
    .digest("hex").slice(0, 16);
}

/** A stored run. */
export interface StoredRun<R> {
  /** The spec. */
  spec: RunSpec;
  /** The result. */
  result: R;
  /** Where its files are: a local folder (the store's own, or a bucket store's cache). */
  dir: string;
}

/** A held lock. It renews itself until released; a holder that dies lets it expire. */
export interface Lease {
  /** The lock's name. */
  readonly name: string;
  /** Whether this holder still holds it (false once taken over after it expired). */
  held(): boolean;
  /** Gives it up. */
  release(): Promise<void>;
}

/** Options of {@link Store.acquire}. */
export interface LeaseOptions {
  /** How long the lock stays valid without renewal (default 15 s); renewed every third. */
  leaseMs?: number;
}

/**
 * What the worker pool needs of a run store. Entries are found by spec hash, written
 * atomically, and never trusted unchecked; locks are leases, so a store shared by several
 * machines needs no process table.
 */
export interface Store {
  /**
   * Where the entries live: a folder, or `s3://bucket/prefix`; `openStore(location)` (open.ts)
   * opens the same store in another process.
   */
  readonly location: string;
  /**
   * A folder of this machine that belongs to the store, for what is not an entry (worker
   * slots, checkpoints): a local store's own folder, a bucket store's cache.
   */
  readonly localDir: string;
  /** A spec's checked entry, or null when missing or damaged (a damaged one is moved aside). */
  read<R>(spec: RunSpec): Promise<StoredRun<R> | null>;
  /** Stores an entry atomically; when one is already there, that one is kept. */
  write<R>(
    spec: RunSpec,
    result: R,
    files?: Record<string, Uint8Array | string>,
  ): Promise<StoredRun<R>>;
  /** Takes the lock `name`, or returns null while another holder's lease is live. */
  acquire(name: string, options?: LeaseOptions): Promise<Lease | null>;
  /** Removes what dead writers left behind; returns how many were removed. */
  clean(): Promise<number>;
  /** Damaged entries moved aside since the store was opened, one line each. */
  readonly healed: string[];
}

const HOST = Deno.hostname();
const TEMPORARY = /\.tmp-(\d+)@(.+)-[0-9a-f]{8}$/;
/** A temporary folder older than this is a dead writer's, whatever host wrote it. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/** Whether a process of this host is alive; where that cannot be told, it is assumed alive. */
function processAlive(pid: number): boolean {
  try {
    Deno.statSync("/proc/self");
  } catch {
    return true;
  }
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

interface LockContent {
  host: string;
  pid: number;
  token: string;
  expires: number;
}

function readLock(path: string): LockContent | null {
  try {
    const parsed = JSON.parse(Deno.readTextFileSync(path));
    return typeof parsed?.token === "string" ? parsed : null;
  } catch {
    return null;
  }
}

/** A lock is free once its lease expired, or at once when its holder on this host is dead. */
function lockExpired(lock: LockContent | null): boolean {
  if (!lock) return true;
  if (lock.host === HOST && !processAlive(lock.pid)) return true;
  return Date.now() > lock.expires;
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}`;
  Deno.writeTextFileSync(temporary, text);
  Deno.renameSync(temporary, path);
}

/** The run store in a local folder. */
export class RunStore implements Store {
  /** Root folder. */
  readonly root: string;
  /** Damaged entries moved aside since the store was opened, one line each. */
  readonly healed: string[] = [];

  /**
   * Opens (and creates) a store.
   *
   * @example
   * ```ts
   * const store = new RunStore();
   * ```
   */
  constructor(root?: string) {
    this.root = root ?? Deno.env.get("IMAGINATION_RUNS_DIR") ?? "runs";
    Deno.mkdirSync(this.root, { recursive: true });
  }

  /** The folder. */
  get location(): string {
    return this.root;
  }

  /** The folder. */
  get localDir(): string {
    return this.root;
  }

  /** The folder of a spec's run (present or not). */
  dirOf(spec: RunSpec): string {
    return `${this.root}/${specHash(spec)}`;
  }

  /**
   * A stored, checked result, or null when the run is not (validly) stored. A damaged entry
   * is moved to `.damaged/` and noted in {@link RunStore.healed}.
   *
   * @example
   * ```ts
   * const stored = await new RunStore().read(spec); // null: train it
   * ```
   */
  read<R>(spec: RunSpec): Promise<StoredRun<R> | null> {
    return Promise.resolve(this.#read(spec));
  }

  #read<R>(spec: RunSpec): StoredRun<R> | null {
    const dir = this.dirOf(spec);
    const problem = this.#problemOf(spec, dir);
    if (problem === null) {
      return { spec, result: JSON.parse(Deno.readTextFileSync(`${dir}/result.json`)), dir };
    }
    if (problem !== "missing") this.#moveAside(dir, problem);
    return null;
  }

  /** What is wrong with an entry: null when nothing, "missing" when there is none. */
  #problemOf(spec: RunSpec, dir: string): string | null {
    try {
      if (!Deno.statSync(dir).isDirectory) return "not a folder";
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return "missing";
      throw error;
    }
    let text: string;
    try {
      text = Deno.readTextFileSync(`${dir}/result.json`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return "no result.json";
      return `result.json unreadable (${(error as Error).message})`;
    }
    let result: unknown;
    try {
      result = JSON.parse(text);
    } catch {
      return `result.json is not JSON (${text.length} bytes, truncated?)`;
    }
    const resultProblem = checkResult(spec.kind, result);
    if (resultProblem) return `result.json ${resultProblem}`;
    try {
      const stored = JSON.parse(Deno.readTextFileSync(`${dir}/spec.json`));
      if (specHash(stored) !== specHash(spec)) return "spec.json is another run's";
    } catch {
      return "spec.json missing or not JSON";
    }
    return null;
  }

  #moveAside(dir: string, problem: string): void {
    const name = dir.slice(this.root.length + 1);
    const aside = `${this.root}/.damaged/${name}-${Date.now()}`;
    Deno.mkdirSync(`${this.root}/.damaged`, { recursive: true });
    try {
      Deno.renameSync(dir, aside);
      this.healed.push(`run ${name}: ${problem}; moved to ${aside}, the run is redone`);
    } catch (error) {
      // Another process moved it first.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }

  /**
   * Stores a run atomically: files are written to a temporary folder then renamed into place.
   * If another process stored the same run meanwhile, its entry is kept.
   *
   * @example
   * ```ts
   * await store.write(spec, result, { "weights.bin": bytes });
   * ```
   */
  write<R>(
    spec: RunSpec,
    result: R,
    files: Record<string, Uint8Array | string> = {},
  ): Promise<StoredRun<R>> {
    return Promise.resolve(this.#write(spec, result, files));
  }

  #write<R>(spec: RunSpec, result: R, files: Record<string, Uint8Array | string>): StoredRun<R> {
    const dir = this.dirOf(spec);
    const temporary = `${dir}.tmp-${Deno.pid}@${HOST}-${crypto.randomUUID().slice(0, 8)}`;
    Deno.mkdirSync(temporary, { recursive: true });
    try {
      for (const [name, content] of Object.entries(files)) {
        if (typeof content === "string") Deno.writeTextFileSync(`${temporary}/${name}`, content);
        else Deno.writeFileSync(`${temporary}/${name}`, content);
      }
      Deno.writeTextFileSync(`${temporary}/spec.json`, JSON.stringify(spec, null, 1));
      Deno.writeTextFileSync(`${temporary}/result.json`, JSON.stringify(result, null, 1));
      // A damaged entry in the way is moved aside by read(); a valid one is kept.
      if (this.#read(spec)) {
        Deno.removeSync(temporary, { recursive: true });
      } else {
        try {
          Deno.renameSync(temporary, dir);
        } catch (error) {
          if (!this.#read(spec)) throw error;
          Deno.removeSync(temporary, { recursive: true });
        }
      }
    } catch (error) {
      try {
        Deno.removeSync(temporary, { recursive: true });
      } catch { /* already gone */ }
      throw error;
    }
    return { spec, result, dir };
  }

  /**
   * Takes a lock file `.locks/NAME` holding host, pid and the lease's expiry, renewed every
   * third of the lease while held. An expired lease, or one whose holder on this host is
   * dead, is taken over.
   *
   * @example
   * ```ts
   * const lease = await store.acquire("run-3f2a");
   * if (lease) try { train(); } finally { await lease.release(); }
   * ```
   */
  acquire(name: string, options: LeaseOptions = {}): Promise<Lease | null> {
    return Promise.resolve(this.#acquire(name, options.leaseMs ?? 15_000));
  }

  #acquire(name: string, leaseMs: number): Lease | null {
    const dir = `${this.root}/.locks`;
    Deno.mkdirSync(dir, { recursive: true });
    const path = `${dir}/${name}`;
    const content: LockContent = {
      host: HOST,
      pid: Deno.pid,
      token: crypto.randomUUID(),
      expires: Date.now() + leaseMs,
    };
    if (!this.#create(path, content)) {
      if (!lockExpired(readLock(path)) || !this.#breakStale(path)) return null;
      content.expires = Date.now() + leaseMs;
      if (!this.#create(path, content)) return null;
    }
    let held = true;
    const renew = () => {
      if (readLock(path)?.token !== content.token) {
        held = false;
        clearInterval(timer);
        return;
      }
      writeAtomically(path, JSON.stringify({ ...content, expires: Date.now() + leaseMs }));
    };
    const timer = setInterval(renew, leaseMs / 3);
    Deno.unrefTimer(timer);
    return {
      name,
      held: () => held,
      release: () => {
        clearInterval(timer);
        if (held && readLock(path)?.token === content.token) {
          try {
            Deno.removeSync(path);
          } catch { /* already gone */ }
        }
        held = false;
        return Promise.resolve();
      },
    };
  }

  #create(path: string, content: LockContent): boolean {
    try {
      Deno.writeTextFileSync(path, JSON.stringify(content), { createNew: true });
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return false;
      throw error;
    }
  }

  /**
   * Removes an expired lock. Only the holder of `NAME.break` may, so two processes cannot
   * both remove it and one then remove the other's fresh lock.
   */
  #breakStale(path: string): boolean {
    const breaker = `${path}.break`;
    try {
      Deno.writeTextFileSync(breaker, String(Deno.pid), { createNew: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      // A breaker left by a process killed in these few lines is itself stale after a minute.
      try {
        if (Date.now() - (Deno.statSync(breaker).mtime?.getTime() ?? 0) > 60_000) {
          Deno.removeSync(breaker);
        }
      } catch { /* gone meanwhile */ }
      return false;
    }
    try {
      if (!lockExpired(readLock(path))) return false;
      try {
        Deno.removeSync(path);
      } catch { /* gone meanwhile */ }
      return true;
    } finally {
      Deno.removeSync(breaker);
    }
  }

  /**
   * Removes temporary folders of dead writers: of a dead process of this host, or older than
   * an hour. A live writer's folder is left alone.
   *
   * @example
   * ```ts
   * await new RunStore().clean(); // 0
   * ```
   */
  clean(): Promise<number> {
    return Promise.resolve(this.#clean());
  }

  #clean(): number {
    let removed = 0;
    for (const entry of Deno.readDirSync(this.root)) {
      const owner = TEMPORARY.exec(entry.name);
      if (!entry.isDirectory || !owner) continue;
      const path = `${this.root}/${entry.name}`;
      const [pid, host] = [Number(owner[1]), owner[2]];
      let age = 0;
      try {
        age = Date.now() - (Deno.statSync(path).mtime?.getTime() ?? Date.now());
      } catch {
        continue;
      }
      const dead = host === HOST ? !processAlive(pid) : age > STALE_TEMPORARY_MS;
      if (!dead) continue;
      try {
        Deno.removeSync(path, { recursive: true });
        removed++;
      } catch { /* its writer finished or another cleaner got it */ }
    }
    return removed;
  }
}
