/**
 * Building the chess network the study reads, apart from the study: the AlphaZero-style
 * policy/value network in TF.js, its training on Stockfish's labels, its export to an Lc0-style
 * ONNX graph, and the Stockfish engine that labels positions (`deno task chess:build`).
 *
 * @module
 */
export * from "./build.ts";
export * from "./label_cache.ts";
export * from "./model.ts";
export * from "./onnx_export.ts";
export * from "./snapshots.ts";
export * from "./stockfish.ts";
