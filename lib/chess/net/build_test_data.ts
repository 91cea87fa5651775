/**
 * Tiny training data for the tests of the network build: labelled positions taken from the
 * shipped positions file (no Stockfish needed), a tiny network and a short training.
 *
 * @module
 */
import type { LabelledPosition, TrainOptions } from "./build.ts";
import type { ChessNetConfig } from "./model.ts";

/** A network small enough to train a hundred steps in a second or two. */
export const TINY_NET: ChessNetConfig = { filters: 4, blocks: 1, valueChannels: 2, valueHidden: 4 };

/** A short training over several epochs of {@link tinyPositions}, with a loss history. */
export const TINY_TRAINING: TrainOptions = {
  steps: 130,
  batchSize: 8,
  learningRate: 1e-2,
  valueWeight: 1,
  seed: 3,
};

/**
 * The first `count` held-out positions of fixtures/chess/positions.json, five to a game.
 *
 * @example
 * ```ts
 * const positions = tinyPositions(40);
 * ```
 */
export function tinyPositions(count = 44): LabelledPosition[] {
  const file = new URL("../../../fixtures/chess/positions.json", import.meta.url);
  const { heldOut } = JSON.parse(Deno.readTextFileSync(file)) as {
    heldOut: Omit<LabelledPosition, "game">[];
  };
  return heldOut.slice(0, count).map((p, i) => ({ ...p, game: Math.floor(i / 5) }));
}
