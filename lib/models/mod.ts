/**
 * The paper's Game of Life models: configuration, encoder / recurrent step / decoder, and the
 * hand-set control network. Their decoders and the critic are lib/decoders'; the Section 3.2
 * ConvLSTM is lib/lstm's.
 *
 * @module
 */
export * from "./config.ts";
export * from "./controls.ts";
export * from "./gol_model.ts";
