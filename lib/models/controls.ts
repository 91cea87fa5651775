/**
 * Controls that prove the pipeline can tell imagination from noise.
 *
 * {@link exactLifeModel} sets the weights of the paper's model form by hand (1 encoder layer,
 * 3 layers per step, 1 decoder layer, LeakyReLU 0.3, residual steps) so that every recurrent
 * step computes one exact Game of Life step: decoding its hidden states must score Eq. 1 = 1.
 *
 * How: channel 0 of the hidden state holds the board b. The first step layer computes
 * z = (live neighbours) + b/2, for which the next state is 1 exactly when 2.5 <= z <= 3.5,
 * and emits +-(z - c) for c in {2, 2.5, 3.5, 4}. Since LeakyReLU(x) + a*LeakyReLU(-x) =
 * (1 - a^2) ReLU(x), the second layer forms the exact bump
 * 2 r(z-2) - 2 r(z-2.5) - 2 r(z-3.5) + 2 r(z-4) minus b, i.e. d = next - b in {-1, 0, 1}, and
 * the third layer undoes LeakyReLU's negative slope so the block outputs d; the residual
 * connection adds it to b.
 *
 * @module
 */
import type { Rng } from "../stats/rng.ts";
import type { ModelConfig } from "./config.ts";
import { createGolModel, type GolModel } from "./gol_model.ts";
import { assignLayer, type ConvLayer, LEAKY_SLOPE } from "../layers/layers.ts";

const CENTRE = 4; // tap (1, 1) of a 3x3 kernel

function setTap(
  kernel: Float32Array,
  layer: ConvLayer,
  tap: number,
  from: number,
  to: number,
  value: number,
): void {
  const [, , inChannels, outChannels] = layer.kernel.shape;
  kernel[(tap * inChannels + from) * outChannels + to] = value;
}

/**
 * A model of the paper's form whose hand-set weights compute one exact GoL step per model
 * timestep (dead cells beyond the edge). Needs encodedSize >= 10.
 *
 * @example
 * ```ts
 * const model = exactLifeModel({ ...QUICK_CONFIG.model, modelTimesteps: 3 }, createRng(0));
 * ```
 */
export function exactLifeModel(config: ModelConfig, rng: Rng): GolModel {
  if (config.encodedSize < 10) {
    throw new RangeError(`encodedSize ${config.encodedSize}: the exact control needs >= 10`);
  }
  const model = createGolModel(
    { ...config, encoderLayers: 1, timestepLayers: 3, decoderLayers: 1, useRnn: true },
    rng,
  );
  const alpha = LEAKY_SLOPE;
  const relu = 1 / (1 - alpha * alpha); // r(x) = relu * (leaky(x) + alpha * leaky(-x))
  const zeroed = (layer: ConvLayer) => ({
    kernel: new Float32Array(layer.kernel.size),
    bias: new Float32Array(layer.bias.size),
  });

  const [encoder] = model.encoder;
  const encoderWeights = zeroed(encoder);
  setTap(encoderWeights.kernel, encoder, CENTRE, 0, 0, 1);
  assignLayer(encoder, encoderWeights.kernel, encoderWeights.bias);

  const [first, second, third] = model.steps[0];
  const thresholds = [2, 2.5, 3.5, 4];
  const bumpSlopes = [2, -2, -2, 2];
  const a = zeroed(first);
  thresholds.forEach((threshold, i) => {
    for (const [sign, channel] of [[1, 2 * i], [-1, 2 * i + 1]]) {
      for (let tap = 0; tap < 9; tap++) {
        setTap(a.kernel, first, tap, 0, channel, sign * (tap === CENTRE ? 0.5 : 1));
      }
      a.bias[channel] = -sign * threshold;
    }
  });
  setTap(a.kernel, first, CENTRE, 0, 8, 1); // b (>= 0, so LeakyReLU keeps it)
  assignLayer(first, a.kernel, a.bias);

  const b = zeroed(second);
  thresholds.forEach((_, i) => {
    for (const [sign, to] of [[1, 0], [-1, 1]]) {
      setTap(b.kernel, second, CENTRE, 2 * i, to, sign * bumpSlopes[i] * relu);
      setTap(b.kernel, second, CENTRE, 2 * i + 1, to, sign * bumpSlopes[i] * relu * alpha);
    }
  });
  setTap(b.kernel, second, CENTRE, 8, 0, -1);
  setTap(b.kernel, second, CENTRE, 8, 1, 1);
  assignLayer(second, b.kernel, b.bias);

  // Channel 1 holds LeakyReLU(-d); -LeakyReLU(-d) / alpha is d for d >= 0 and d / alpha below.
  const c = zeroed(third);
  setTap(c.kernel, third, CENTRE, 1, 0, -1 / alpha);
  assignLayer(third, c.kernel, c.bias);

  const [decoder] = model.decoder;
  const d = zeroed(decoder);
  setTap(d.kernel, decoder, CENTRE, 0, 0, 1);
  assignLayer(decoder, d.kernel, d.bias);
  return model;
}
