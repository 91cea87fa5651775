/**
 * The content-addressed run store. A {@link RunSpec} (plain data: kind, config, seed, scale)
 * hashes to `runs/<hash>/` holding `spec.json`, `result.json` and any weight files. Writes are
 * atomic: everything goes to a temporary folder that is renamed into place, so a run killed
 * midway leaves no entry and is simply redone; an existing entry is reused at once.
 *
 * The folder is `IMAGINATION_RUNS_DIR`, else `runs/` in the working directory.
 *
 * @module
 */
import { createHash } from "node:crypto";

/**
 * Bump when a code change alters what a run computes: old entries then stop matching.
 */
export const STORE_VERSION = 2;

/** What identifies a run. */
export interface RunSpec {
  /** Which trainer runs it ("gol", "lstm", ...). */
  kind: string;
  /** The trainer's whole configuration (plain JSON). */
  config: unknown;
  /** The run's seed. */
  seed: number;
  /** The scale it belongs to ("quick", "paper", "custom"). */
  scale: string;
}

/** JSON with object keys sorted, so equal specs give equal text. */
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
  /** The run's folder. */
  dir: string;
}

/** The run store. */
export class RunStore {
  /** Root folder. */
  readonly root: string;

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

  /** The folder of a spec's run (present or not). */
  dirOf(spec: RunSpec): string {
    return `${this.root}/${specHash(spec)}`;
  }

  /** A stored result, or null when the run is not (completely) stored. */
  read<R>(spec: RunSpec): StoredRun<R> | null {
    const dir = this.dirOf(spec);
    try {
      const result = JSON.parse(Deno.readTextFileSync(`${dir}/result.json`)) as R;
      return { spec, result, dir };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw new Error(
        `run store: ${dir}/result.json is unreadable (${
          (error as Error).message
        }); delete ${dir} to redo the run`,
      );
    }
  }

  /**
   * Stores a run atomically: files are written to a temporary folder then renamed into place.
   * If another process stored the same run meanwhile, its entry is kept.
   */
  write<R>(
    spec: RunSpec,
    result: R,
    files: Record<string, Uint8Array | string> = {},
  ): StoredRun<R> {
    const dir = this.dirOf(spec);
    const temporary = `${dir}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
    Deno.mkdirSync(temporary, { recursive: true });
    try {
      for (const [name, content] of Object.entries(files)) {
        if (typeof content === "string") Deno.writeTextFileSync(`${temporary}/${name}`, content);
        else Deno.writeFileSync(`${temporary}/${name}`, content);
      }
      Deno.writeTextFileSync(`${temporary}/spec.json`, JSON.stringify(spec, null, 1));
      Deno.writeTextFileSync(`${temporary}/result.json`, JSON.stringify(result, null, 1));
      try {
        Deno.renameSync(temporary, dir);
      } catch (error) {
        if (!this.read(spec)) throw error;
        Deno.removeSync(temporary, { recursive: true });
      }
    } catch (error) {
      try {
        Deno.removeSync(temporary, { recursive: true });
      } catch { /* already gone */ }
      throw error;
    }
    return { spec, result, dir };
  }

  /** Removes temporary folders left by killed runs. */
  clean(): number {
    let removed = 0;
    for (const entry of Deno.readDirSync(this.root)) {
      if (entry.isDirectory && entry.name.includes(".tmp-")) {
        Deno.removeSync(`${this.root}/${entry.name}`, { recursive: true });
        removed++;
      }
    }
    return removed;
  }
}
