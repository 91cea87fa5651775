/**
 * Training phases, evaluation and configuration checks.
 *
 * @module
 */
export * from "./checkpoint.ts";
export * from "./evaluate.ts";
export * from "./gol_runs.ts";
export * from "./step.ts";
export * from "./train.ts";
export * from "./validate.ts";
export * from "./references.ts";
