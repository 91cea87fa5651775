/**
 * The trainers the run store can run, by `RunSpec.kind`, each with the fields its result must
 * have (checked on every read, so a truncated or empty result counts as damaged) and a check
 * of a spec that runs before any worker starts. Kinds are registered from above (the entry
 * points register the experiments'), so this folder imports no experiment.
 *
 * @module
 */
import type { RunSpec } from "./spec.ts";

/** Progress a trainer reports while it runs. */
export interface RunProgress {
  /** Phase name. */
  phase: string;
  /** Step within the phase. */
  step: number;
  /** Steps of the phase. */
  steps: number;
  /** Latest loss. */
  loss?: number;
}

/** What a trainer returns: the result (JSON) and files to store beside it. */
export interface RunOutput {
  /** result.json's content. */
  result: unknown;
  /** Extra files (weights). */
  files: Record<string, Uint8Array | string>;
}

/** How a run is executed, beside what it is: nothing here changes the run's numbers. */
export interface ExecuteOptions {
  /** A folder of the run's own for checkpoints; trainers that support it resume from it. */
  checkpointDir?: string;
}

/** A trainer. */
export type Executor = (
  spec: RunSpec,
  onProgress: (progress: RunProgress) => void,
  options?: ExecuteOptions,
) => Promise<RunOutput>;

/** The JSON type a result field must have. */
export type FieldType = "string" | "number" | "boolean" | "object" | "array";

/** A run kind: its trainer, the fields its result must have, and a check of its specs. */
export interface RunKind {
  /** Loads the trainer. */
  load: () => Promise<Executor>;
  /** Required result fields by dotted path ("backend.name"), with their JSON type. */
  resultFields: Record<string, FieldType>;
  /** Throws a one-line error for a spec that cannot run (config, files), before any worker. */
  checkSpec: (spec: RunSpec) => Promise<void>;
}

/**
 * Trainers by kind, as registered (empty until an entry point registers its experiments: this
 * folder knows none of them).
 */
export const RUN_KINDS: Record<string, RunKind> = {};

/** Modules whose kinds are registered, so worker processes can register the same ones. */
const kindModules = new Set<string>();

/**
 * Registers run kinds. `module` is the URL of a module exporting them as `KINDS`, which worker
 * processes import to register the same kinds.
 *
 * @example
 * ```ts
 * registerKinds(KINDS, import.meta.url);
 * ```
 */
export function registerKinds(kinds: Record<string, RunKind>, module: string): void {
  Object.assign(RUN_KINDS, kinds);
  kindModules.add(module);
}

/**
 * The modules of the registered kinds, space-separated, as a worker process's
 * `IMAGINATION_KIND_MODULES` (see {@link importKinds}).
 *
 * @example
 * ```ts
 * registeredKindModules(); // "file:///.../lib/cli/run_kinds.ts"
 * ```
 */
export function registeredKindModules(): string {
  return [...kindModules].join(" ");
}

/**
 * Registers the kinds of modules named by {@link registeredKindModules} (in a worker process,
 * from its parent).
 *
 * @example
 * ```ts
 * await importKinds(Deno.env.get("IMAGINATION_KIND_MODULES") ?? "");
 * ```
 */
export async function importKinds(modules: string): Promise<void> {
  for (const module of modules.split(" ").filter(Boolean)) {
    const { KINDS } = await import(module);
    registerKinds(KINDS, module);
  }
}

function typeOf(value: unknown): FieldType | "null" | "undefined" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as FieldType | "undefined";
}

/**
 * What is wrong with a stored result, or null when nothing is: a result must be a non-empty
 * JSON object, and a known kind's result must have its required fields.
 *
 * @example
 * ```ts
 * checkResult("gol", {}); // "is empty ({})"
 * ```
 */
export function checkResult(kind: string, result: unknown): string | null {
  if (typeOf(result) !== "object") return `is ${typeOf(result)}, expected an object`;
  if (Object.keys(result as object).length === 0) return "is empty ({})";
  for (const [path, expected] of Object.entries(RUN_KINDS[kind]?.resultFields ?? {})) {
    let value: unknown = result;
    for (const key of path.split(".")) value = (value as Record<string, unknown>)?.[key];
    if (typeOf(value) !== expected) {
      return `field ${path} is ${typeOf(value)}, expected ${expected}`;
    }
  }
  return null;
}

function kindOf(kind: string): RunKind {
  const found = RUN_KINDS[kind];
  if (!found) {
    const known = Object.keys(RUN_KINDS);
    throw new Error(
      `run kind "${kind}": expected one of ${known.join(", ") || "the registered kinds (none)"}`,
    );
  }
  return found;
}

/**
 * The trainer of a kind, with a clear error for an unknown kind.
 *
 * @example
 * ```ts
 * const execute = await executorFor("gol");
 * ```
 */
export async function executorFor(kind: string): Promise<Executor> {
  return await kindOf(kind).load();
}

/**
 * Checks a spec before it is sent to a worker: its kind, its config, the files it names.
 *
 * @example
 * ```ts
 * await checkSpec({ kind: "gol", config: { model: { boardSize: 1 } }, seed: 1, scale: "quick" });
 * // throws: model.boardSize 1: expected an integer in 3..64
 * ```
 */
export async function checkSpec(spec: RunSpec): Promise<void> {
  await kindOf(spec.kind).checkSpec(spec);
}
