/**
 * The paper's models: configuration, encoder / recurrent step / decoder, discriminator, and the
 * hand-set control network.
 *
 * @module
 */
export * from "./config.ts";
export * from "./controls.ts";
export * from "./conv_lstm.ts";
export * from "./gol_model.ts";
export * from "../layers/layers.ts";
export * from "../layers/serialize.ts";
