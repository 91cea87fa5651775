/**
 * The building blocks every network here is made of: convolution and dense layers as plain
 * data, their weight files, and the clipped optimiser step.
 *
 * @module
 */
export * from "./layers.ts";
export * from "./optimize.ts";
export * from "./serialize.ts";
