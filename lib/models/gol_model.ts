/**
 * The paper's Game of Life imagination model, readable top to bottom:
 *
 *   h(0)   = encoder(s_1)                      encoderLayers x [3x3 conv, LeakyReLU]
 *   h(t+1) = h(t) + step_t(h(t))               timestepLayers x [3x3 conv, LeakyReLU]
 *   out(t) = decoder(h(t))                     (decoderLayers - 1) x [conv, LeakyReLU], conv to 1
 *
 * "Use RNN" shares one step block across timesteps; otherwise each timestep has its own.
 * Loss: MSE of out(T) against s_m and, with the autoencoder, of out(0) against s_1. The decoder
 * and the critic of the adversarial phase are lib/decoders'.
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import type { Rng } from "../stats/rng.ts";
import type { ModelConfig } from "./config.ts";
import { createDecoder, type Decoder } from "../decoders/decoder.ts";
import { type ConvLayer, convLayer, convStack, variablesOf } from "../layers/layers.ts";

/** The model's weights: encoder, step block(s), board decoder. */
export interface GolModel {
  /** The configuration it was built from. */
  config: ModelConfig;
  /** Encoder: 1 -> encodedSize channels. */
  encoder: ConvLayer[];
  /** One block when `useRnn`, else one per model timestep. */
  steps: ConvLayer[][];
  /** The decoder trained with the model (phase 1). */
  decoder: Decoder;
}

/**
 * A freshly initialised model.
 *
 * @example
 * ```ts
 * const model = createGolModel(QUICK_CONFIG.model, createRng(1));
 * ```
 */
export function createGolModel(config: ModelConfig, rng: Rng): GolModel {
  const channels = config.encodedSize;
  const encoder = Array.from(
    { length: config.encoderLayers },
    (_, i) => convLayer(i === 0 ? 1 : channels, channels, rng),
  );
  const blocks = config.useRnn ? 1 : config.modelTimesteps;
  const steps = Array.from(
    { length: blocks },
    () => Array.from({ length: config.timestepLayers }, () => convLayer(channels, channels, rng)),
  );
  const decoder = createDecoder(
    { inChannels: channels, hiddenLayers: config.decoderLayers - 1 },
    rng,
  );
  return { config, encoder, steps, decoder };
}

/**
 * Hidden states h(0)..h(T) for a batch of boards [batch, rows, cols, 1].
 *
 * @example
 * ```ts
 * const states = hiddenStates(model, boards); // T + 1 tensors [batch, rows, cols, channels]
 * ```
 */
export function hiddenStates(model: GolModel, boards: tf.Tensor4D): tf.Tensor4D[] {
  let h = convStack(model.encoder, boards);
  const states = [h];
  for (let t = 0; t < model.config.modelTimesteps; t++) {
    const block = model.steps[model.config.useRnn ? 0 : t];
    h = tf.add(h, convStack(block, h)) as tf.Tensor4D;
    states.push(h);
  }
  return states;
}

/**
 * Trainable variables of the encoder and step blocks (not the decoder).
 *
 * @example
 * ```ts
 * const trunk = trunkVariables(model);
 * ```
 */
export function trunkVariables(model: GolModel): tf.Variable[] {
  return [...variablesOf(model.encoder), ...model.steps.flatMap(variablesOf)];
}

/**
 * Frees the model's variables.
 *
 * @example
 * ```ts
 * disposeModel(model);
 * ```
 */
export function disposeModel(model: GolModel): void {
  tf.dispose([...trunkVariables(model), ...variablesOf(model.decoder)]);
}

/** The reference's game index for model index t: t * golTimesteps / modelTimesteps, floored. */
export function gameIndexOf(modelIndex: number, config: ModelConfig): number {
  return Math.floor(modelIndex * config.golTimesteps / config.modelTimesteps);
}
