/**
 * The run store and the worker pool.
 *
 * @module
 */
export * from "./kinds.ts";
export * from "./pool.ts";
export * from "./store.ts";
