/**
 * Game of Life engine and datasets.
 *
 * @module
 */
export * from "./life.ts";
