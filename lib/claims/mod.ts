/**
 * The claim registry, its run groups, and claim measurement.
 *
 * @module
 */
export * from "./baselines.ts";
export * from "./claims.ts";
export * from "./groups.ts";
export * from "./run.ts";
export * from "./table4.ts";
