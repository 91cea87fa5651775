/**
 * The chess study of Section 3.3: Lc0-style board encoding and policy, the shipped
 * AlphaZero-style network (built, exported to ONNX and labelled by Stockfish in net/, apart
 * from the study), the onnxruntime runner that exposes every layer, board decoders, per-layer
 * measures, the run-store executor and the claim.
 *
 * @module
 */
export * from "./board.ts";
export * from "./claim.ts";
export * from "./decoder.ts";
export * from "./measures.ts";
export * from "./net/mod.ts";
export * from "./network.ts";
export * from "./policy.ts";
export * from "./study.ts";
