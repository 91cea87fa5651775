/**
 * The chess study of Section 3.3: Lc0-style board encoding and policy, the shipped
 * AlphaZero-style network and its ONNX export, the onnxruntime runner that exposes every layer,
 * board decoders, per-layer measures, the run-store executor and the claim.
 *
 * @module
 */
export * from "./board.ts";
export * from "./build.ts";
export * from "./claim.ts";
export * from "./decoder.ts";
export * from "./measures.ts";
export * from "./model.ts";
export * from "./network.ts";
export * from "./onnx_export.ts";
export * from "./policy.ts";
export * from "./stockfish.ts";
export * from "./study.ts";
