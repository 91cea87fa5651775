/**
 * The run kinds of the three experiments (Game of Life, Table 4's cell-counting LSTM, chess),
 * registered with the run store by every entry point: `lib/runs` knows no experiment. Each
 * trainer is imported only when a run of its kind is trained.
 *
 * @module
 */
import { type FieldType, registerKinds, type RunKind } from "../runs/kinds.ts";

const COMMON_FIELDS: Record<string, FieldType> = {
  "backend.name": "string",
  "seconds.total": "number",
};

/** The experiments' kinds, by `RunSpec.kind`. */
export const KINDS: Record<string, RunKind> = {
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
    load: async () => (await import("../lstm/train.ts")).executeLstmRun,
    resultFields: {
      ...COMMON_FIELDS,
      status: "string",
      steps: "number",
      history: "array",
      evalSequences: "number",
      examples: "array",
    },
    checkSpec: async (spec) => {
      (await import("../lstm/config.ts")).validateLstmConfig(spec.config);
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

/**
 * Registers the experiments' kinds (gol, lstm, chess) with the run store and its workers.
 *
 * @example
 * ```ts
 * registerExperimentKinds();
 * ```
 */
export function registerExperimentKinds(): void {
  registerKinds(KINDS, import.meta.url);
}
