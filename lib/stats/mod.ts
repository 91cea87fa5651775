/**
 * Seeded randomness and statistics shared by every module.
 *
 * @module
 */
export * from "./rng.ts";
export * from "./bootstrap.ts";
