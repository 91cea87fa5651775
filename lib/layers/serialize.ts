/**
 * Saving and loading conv layers as `weights.json` (names, shapes, offsets) plus
 * `weights.bin` (little-endian float32), the run store's weight format.
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import type { ConvLayer } from "./layers.ts";

interface Entry {
  group: string;
  index: number;
  kernelShape: number[];
  biasLength: number;
  stride: number;
  offset: number;
}

/**
 * Serialises groups of layers (for example encoder, steps.0, decoder).
 *
 * @example
 * ```ts
 * const { manifest, data } = saveLayers({ decoder: model.decoder });
 * ```
 */
export function saveLayers(
  groups: Record<string, readonly ConvLayer[]>,
): { manifest: string; data: Uint8Array } {
  const entries: Entry[] = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  for (const [group, layers] of Object.entries(groups)) {
    layers.forEach((layer, index) => {
      const kernel = layer.kernel.dataSync() as Float32Array;
      const bias = layer.bias.dataSync() as Float32Array;
      entries.push({
        group,
        index,
        kernelShape: layer.kernel.shape,
        biasLength: bias.length,
        stride: layer.stride,
        offset,
      });
      chunks.push(kernel, bias);
      offset += kernel.length + bias.length;
    });
  }
  const all = new Float32Array(offset);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return {
    manifest: JSON.stringify({ format: "imagination-lens-layers-1", entries }),
    data: new Uint8Array(all.buffer),
  };
}

/**
 * Loads groups saved by {@link saveLayers} into new variables.
 *
 * @example
 * ```ts
 * const groups = loadLayers(manifestText, bytes);
 * ```
 */
export function loadLayers(manifest: string, data: Uint8Array): Record<string, ConvLayer[]> {
  const parsed = JSON.parse(manifest) as { format: string; entries: Entry[] };
  if (parsed.format !== "imagination-lens-layers-1") {
    throw new Error(`weights manifest: unknown format "${parsed.format}"`);
  }
  const floats = new Float32Array(
    data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
  );
  const groups: Record<string, ConvLayer[]> = {};
  for (const entry of parsed.entries) {
    const kernelSize = entry.kernelShape.reduce((a, b) => a * b, 1);
    const kernel = floats.subarray(entry.offset, entry.offset + kernelSize);
    const bias = floats.subarray(
      entry.offset + kernelSize,
      entry.offset + kernelSize + entry.biasLength,
    );
    if (bias.length !== entry.biasLength) {
      throw new Error("weights.bin is shorter than its manifest says");
    }
    (groups[entry.group] ??= [])[entry.index] = {
      kernel: tf.variable(
        tf.tensor4d(kernel, entry.kernelShape as [number, number, number, number]),
      ),
      bias: tf.variable(tf.tensor1d(bias)),
      stride: entry.stride,
    };
  }
  return groups;
}
