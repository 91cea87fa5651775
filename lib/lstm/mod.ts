/**
 * The paper's Section 3.2 experiment (Table 4): the ConvLSTM cell-count model, its
 * configuration, its trainer and its scoring.
 *
 * @module
 */
export * from "./config.ts";
export * from "./conv_lstm.ts";
export * from "./score.ts";
export * from "./train.ts";
