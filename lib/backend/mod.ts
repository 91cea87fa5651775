/**
 * TF.js backends: choice, start-up and the wasm training kernels.
 *
 * @module
 */
export * from "./backend.ts";
export * from "./tf.ts";
export * from "./wasm_kernels.ts";
