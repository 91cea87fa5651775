/**
 * The paper's metric (Eq. 1 as the paper words it, its literal double sum, the reference's MCC
 * variant) and correlations.
 *
 * @module
 */
export * from "./imagination.ts";
export * from "./correlation.ts";
