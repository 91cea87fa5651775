/**
 * The trainers the run store can run, by `RunSpec.kind`, each with the fields its result must
 * have (checked on every read, so a truncated or empty result counts as damaged) and a check
 * of a spec that runs before any worker starts. A trainer is imported only when needed.
 *
 * @module
 */
import type { RunSpec } from "./store.ts";

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

const COMMON_FIELDS: Record<string, FieldType> = {
  "backend.name": "string",
  "seconds.total": "number",
};

/** Trainers by kind. */
export const RUN_KINDS: Record<string, RunKind> = {
  gol: {
    load: async () => (await import("../train/gol_runs.ts")).executeGolRun,
    resultFields: {
      ...COMMON_FIELDS,
      status: "string",
      steps: "number",
      reachedTarget: "boolean",
      finalAccuracy: "number",
      lossHistory: "array",
      trace: "object",
      evalSequences: "number",
    },
    checkSpec: async (spec) => {
      (await import("../train/validate.ts")).validateRunConfig(spec.config);
    },
  },
  lstm: {
    load: async () => (await import("../train/count_cells.ts")).executeLstmRun,
    resultFields: {
      ...COMMON_FIELDS,
      status: "string",
      steps: "number",
      history: "array",
      evalSequences: "number",
      examples: "array",
    },
    checkSpec: async (spec) => {
      (await import("../train/count_cells.ts")).validateLstmConfig(spec.config);
    },
  },
  chess: {
    load: async () => (await import("../chess/study.ts")).executeChessRun,
    resultFields: {
      ...COMMON_FIELDS,
      "network.sha256": "string",
      "positions.train": "number",
      regular: "object",
      copyAccuracy: "array",
    },
    checkSpec: async (spec) => (await import("../chess/study.ts")).checkChessRun(spec),
  },
};

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
    throw new Error(`run kind "${kind}": expected one of ${Object.keys(RUN_KINDS).join(", ")}`);
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
