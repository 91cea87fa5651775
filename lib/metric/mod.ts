/**
 * The paper's metric (Eq. 1), its MCC variant, and correlations.
 *
 * @module
 */
export * from "./imagination.ts";
export * from "./correlation.ts";
