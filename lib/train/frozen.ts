/**
 * The frozen model's hidden states of training sequences, for the decoder phases (fresh
 * decoder, adversarial, ceiling readouts). Those phases draw 6,000 batches at faithful scale
 * from the same 20,000 training sequences while the model no longer changes, so each sequence's
 * h(0)..h(T) is computed the first time a batch draws it and kept: the model's forward pass
 * runs about once per sequence instead of once per draw.
 *
 * A sequence's states do not depend on the batch they are computed in (each output element's
 * sum runs in the same order whatever the batch; `frozen_test.ts` checks it bit for bit), so a
 * run gives the same numbers with the cache as without, and runs recorded before it existed
 * are reproduced exactly. The cache is used on the CPU backends (wasm, wasm-xnnpack, cpu) when
 * it fits in `FROZEN_CACHE_BYTES` and a quarter of the memory available; otherwise, and on GPU
 * backends (where reading states back each batch would stall the device), states are computed
 * per batch as before.
 *
 * @module
 */
import { tf } from "../backend/tf.ts";
import type { GolSequences } from "../gol/life.ts";
import { type GolModel, hiddenStates } from "../models/gol_model.ts";
import type { Rng } from "../stats/rng.ts";
import { boardsOf, drawPicks } from "./step.ts";

/** The most memory the cache of one run may take (4 GiB). */
export const FROZEN_CACHE_BYTES = 4 * 1024 ** 3;

/** A batch of GoL states and the frozen model's hidden states of its first. */
export interface FrozenBatch {
  /** The boards of the requested GoL states. */
  batch: tf.Tensor4D[];
  /** h(0)..h(T) of the first (not part of any gradient: the model is frozen). */
  states: tf.Tensor4D[];
}

/** Draws batches with the frozen model's hidden states (see the module's notes). */
export interface FrozenStates {
  /** A batch of `batchSize` sequences drawn with `rng`, the boards of `games` (first: 0). */
  batch(rng: Rng, batchSize: number, games: number[]): FrozenBatch;
  /** Whether states are cached (false: computed per batch). */
  readonly cached: boolean;
}

/** Frees a batch. */
export function releaseFrozenBatch({ batch, states }: FrozenBatch): void {
  tf.dispose([...batch, ...states]);
}

/**
 * The states of `model` (frozen from here on) over `set`; `cache` forces the cache on or off
 * (default: on where it fits, on CPU backends).
 *
 * @example
 * ```ts
 * const frozen = frozenStates(model, trainSet);
 * const { batch, states } = frozen.batch(rng, 32, [0, 3]);
 * ```
 */
export function frozenStates(model: GolModel, set: GolSequences, cache?: boolean): FrozenStates {
  const { boardSize, encodedSize, modelTimesteps } = model.config;
  const perState = boardSize * boardSize * encodedSize;
  const bytes = set.count * perState * (modelTimesteps + 1) * 4;
  const use = cache ?? (!["webgpu", "tensorflow"].includes(tf.getBackend()) && fits(bytes));
  if (!use) {
    return {
      cached: false,
      batch: (rng, batchSize, games) => {
        const batch = boardsOf(set, drawPicks(set, rng, batchSize), games);
        return { batch, states: tf.tidy(() => hiddenStates(model, batch[0])) };
      },
    };
  }
  // One array per model index, allocated when first needed; `have` marks computed sequences.
  const stored: Float32Array[] = [];
  const have = new Uint8Array(set.count);
  const shape = [boardSize, boardSize, encodedSize] as const;
  return {
    cached: true,
    batch: (rng, batchSize, games) => {
      const picks = drawPicks(set, rng, batchSize);
      const batch = boardsOf(set, picks, games);
      const missing = [...new Set(picks)].filter((p) => !have[p]);
      if (missing.length > 0) {
        const computed = tf.tidy(() => {
          const [inputs] = boardsOf(set, missing, [0]);
          return hiddenStates(model, inputs);
        });
        computed.forEach((tensor, t) => {
          const values = tensor.dataSync() as Float32Array;
          stored[t] ??= new Float32Array(set.count * perState);
          missing.forEach((p, i) =>
            stored[t].set(values.subarray(i * perState, (i + 1) * perState), p * perState)
          );
        });
        tf.dispose(computed);
        for (const p of missing) have[p] = 1;
      }
      const states = stored.map((values) => {
        const out = new Float32Array(batchSize * perState);
        picks.forEach((p, i) =>
          out.set(values.subarray(p * perState, (p + 1) * perState), i * perState)
        );
        return tf.tensor4d(out, [batchSize, ...shape]);
      });
      return { batch, states };
    },
  };
}

function fits(bytes: number): boolean {
  if (bytes > FROZEN_CACHE_BYTES) return false;
  try {
    return bytes <= Deno.systemMemoryInfo().available / 4;
  } catch {
    return false;
  }
}
