/**
 * The paper's Game of Life imagination model, readable top to bottom:
 *
 *   h(0)   = encoder(s_1)                      encoderLayers x [3x3 conv, LeakyReLU]
 *   h(t+1) = h(t) + step_t(h(t))               timestepLayers x [3x3 conv, LeakyReLU]
 *   out(t) = decoder(h(t))                     (decoderLayers - 1) x [conv, LeakyReLU], conv to 1
 *
 * "Use RNN" shares one step block across timesteps; otherwise each timestep has its own.
 * Loss: MSE of out(T) against s_m and, with the autoencoder, of out(0) against s_1.
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import type { Rng } from "../stats/rng.ts";
import type { ModelConfig } from "./config.ts";
import { type ConvLayer, convLayer, convStack, LEAKY_SLOPE, variablesOf } from "./layers.ts";

/** The model's weights: encoder, step block(s), board decoder. */
export interface GolModel {
  /** The configuration it was built from. */
  config: ModelConfig;
  /** Encoder: 1 -> encodedSize channels. */
  encoder: ConvLayer[];
  /** One block when `useRnn`, else one per model timestep. */
  steps: ConvLayer[][];
  /** The decoder trained with the model (phase 1). */
  decoder: ConvLayer[];
}

/**
 * A board decoder: (layers - 1) x [conv encodedSize, LeakyReLU], then a linear conv to 1
 * channel (or `outChannels`: one board per channel, as several decoders sharing their hidden
 * layers).
 *
 * @example
 * ```ts
 * const decoder = createDecoder(20, 2, createRng(3));
 * ```
 */
export function createDecoder(
  encodedSize: number,
  layers: number,
  rng: Rng,
  options: { outChannels?: number } = {},
): ConvLayer[] {
  const outChannels = options.outChannels ?? 1;
  return Array.from(
    { length: layers },
    (_, i) => convLayer(encodedSize, i === layers - 1 ? outChannels : encodedSize, rng),
  );
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
  const decoder = createDecoder(channels, config.decoderLayers, rng);
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
 * Decodes hidden states to boards (linear output, compare with 0/1 boards). Several states
 * are decoded in one batch, which is faster than one call each.
 *
 * @example
 * ```ts
 * const [first, last] = decodeStates(model.decoder, [states[0], states[T]]);
 * ```
 */
export function decodeStates(decoder: readonly ConvLayer[], states: tf.Tensor4D[]): tf.Tensor4D[] {
  if (states.length === 1) return [convStack(decoder, states[0], { linearLast: true })];
  const batch = states[0].shape[0];
  const decoded = convStack(decoder, tf.concat(states, 0), { linearLast: true });
  return tf.split(decoded, states.map(() => batch), 0) as tf.Tensor4D[];
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

/** Discriminator of the adversarial phase: stride-2 convs 4, 8, 16, dropout, dense logit. */
export interface Discriminator {
  /** Conv layers (stride 2, LeakyReLU). */
  convs: ConvLayer[];
  /** Dense weights [features, 1]. */
  dense: tf.Variable<tf.Rank.R2>;
  /** Dense bias [1]. */
  denseBias: tf.Variable<tf.Rank.R1>;
}

/**
 * A discriminator for boards of `boardSize` (reference: 3x3 convs with 4, 8, 16 channels,
 * stride 2, LeakyReLU, dropout 0.3, then a dense logit).
 *
 * @example
 * ```ts
 * const critic = createDiscriminator(20, createRng(4));
 * ```
 */
export function createDiscriminator(boardSize: number, rng: Rng): Discriminator {
  const channels = [1, 4, 8, 16];
  const convs = channels.slice(1).map((out, i) => convLayer(channels[i], out, rng, { stride: 2 }));
  let size = boardSize;
  for (let i = 0; i < convs.length; i++) size = Math.ceil(size / 2);
  const features = size * size * 16;
  const limit = Math.sqrt(6 / (features + 1));
  const values = Float32Array.from({ length: features }, () => (rng.next() * 2 - 1) * limit);
  return {
    convs,
    dense: tf.variable(tf.tensor2d(values, [features, 1])),
    denseBias: tf.variable(tf.zeros([1])),
  };
}

/**
 * Real-vs-generated logits of boards [batch, rows, cols, 1]; dropout 0.3 when training,
 * with a seed so that the run stays deterministic.
 *
 * @example
 * ```ts
 * const logits = discriminate(critic, boards, { training: true, seed: 5 });
 * ```
 */
export function discriminate(
  critic: Discriminator,
  boards: tf.Tensor4D,
  options: { training: boolean; seed?: number },
): tf.Tensor2D {
  let x = boards;
  for (const layer of critic.convs) {
    x = tf.leakyRelu(tf.add(tf.conv2d(x, layer.kernel, 2, "same"), layer.bias), LEAKY_SLOPE);
    if (options.training) x = tf.dropout(x, 0.3, undefined, options.seed) as tf.Tensor4D;
  }
  const flat = tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
  return tf.add(tf.matMul(flat, critic.dense), critic.denseBias) as tf.Tensor2D;
}

/**
 * Trainable variables of a discriminator.
 *
 * @example
 * ```ts
 * const variables = discriminatorVariables(critic);
 * ```
 */
export function discriminatorVariables(critic: Discriminator): tf.Variable[] {
  return [...variablesOf(critic.convs), critic.dense, critic.denseBias];
}
