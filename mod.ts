/**
 * imagination-lens: a seeded, statistical, executable reproduction of *Visualizing Neural
 * Network Imagination* (Wichers et al., 2024).
 *
 * The public API re-exports every module (and the experiments' run kinds for the run store): the Game of Life engine, the paper's metric, the
 * TF.js backends, the layers, the models, the decoders that read them, their training, the chess
 * study (Section 3.3), the run store, the claim registry, the report, and seeded statistics.
 *
 * @example Score decoded outputs with the paper's Eq. 1
 * ```ts
 * import { generateSequences, sequenceMetric, stateOf } from "./mod.ts";
 *
 * const set = generateSequences({ count: 1, rows: 8, cols: 8, golTimesteps: 3 }, 1);
 * const gol = [0, 1, 2, 3].map((t) => stateOf(set, 0, t));
 * sequenceMetric(gol, gol, { trainedIndices: [0, 3] }); // 1: a perfect imagination
 * ```
 *
 * @module
 */
export * from "./lib/backend/mod.ts";
export * from "./lib/chess/mod.ts";
export * from "./lib/claims/mod.ts";
export * from "./lib/decoders/mod.ts";
export * from "./lib/gol/mod.ts";
export * from "./lib/layers/mod.ts";
export * from "./lib/lstm/mod.ts";
export * from "./lib/metric/mod.ts";
export * from "./lib/models/mod.ts";
export * from "./lib/report/mod.ts";
export * from "./lib/runs/mod.ts";
export * from "./lib/stats/mod.ts";
export * from "./lib/train/mod.ts";
export { registerExperimentKinds } from "./lib/cli/run_kinds.ts";
