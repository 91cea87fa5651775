/**
 * The trainers the run store can run, by `RunSpec.kind`. Each is imported only when a run of
 * its kind is executed.
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

/** Trainers by kind. */
export const EXECUTORS: Record<string, () => Promise<Executor>> = {
  gol: async () => (await import("../train/gol_runs.ts")).executeGolRun,
  lstm: async () => (await import("../train/count_cells.ts")).executeLstmRun,
  chess: async () => (await import("../chess/study.ts")).executeChessRun,
};

/**
 * The trainer of a kind, with a clear error for an unknown kind.
 *
 * @example
 * ```ts
 * const execute = await executorFor("gol");
 * ```
 */
export async function executorFor(kind: string): Promise<Executor> {
  const load = EXECUTORS[kind];
  if (!load) {
    throw new Error(`run kind "${kind}": expected one of ${Object.keys(EXECUTORS).join(", ")}`);
  }
  return await load();
}
