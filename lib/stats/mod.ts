/**
 * Seeded randomness and statistics shared by every module.
 *
 * Which interval to use for what (all default to 95%, all report their minimum
 * detectable effect where one exists):
 *
 * - One group's mean over runs (a metric against the paper's value):
 *   {@linkcode meanInterval}, Student t.
 * - Two groups of runs (with vs without a component): {@linkcode differenceInterval},
 *   Welch t; it does not assume equal variances.
 * - A count of successes (runs that converged, states that reached 98%):
 *   {@linkcode proportionInterval}, exact Clopper-Pearson.
 *
 * These keep their nominal coverage at 3 runs per group for normal and moderately skewed
 * metrics; `intervals.ts` says where they stop. (The percentile bootstrap used before covered
 * only 48-79% at n = 2-4.)
 *
 * @module
 */
export * from "./rng.ts";
export * from "./intervals.ts";
export { studentTCdf, studentTQuantile } from "./distributions.ts";
