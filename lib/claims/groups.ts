/**
 * The run groups the Game of Life claims need: a configuration trained with several seeds.
 * Claims that need the same group share its runs through the run store.
 *
 * Seeds are drawn by fast-check from the context's seed base, so every claim can be re-run on
 * seeds nobody tuned on; the same base always gives the same seeds.
 *
 * @module
 */
import fc from "fast-check";
import {
  FAITHFUL_CONFIG,
  type ModelConfig,
  PAPER_CONFIG,
  QUICK_CONFIG,
  type RunConfig,
  type TrainConfig,
} from "../models/config.ts";
import type { RunSpec } from "../runs/store.ts";
import type { Scale } from "./protocol.ts";

export type { Scale };

/** Default seed base of the claims (any other may be given). */
export const DEFAULT_SEED_BASE = 20240530;

/** A group: one configuration (as changes from the scale's base) and its run counts. */
export interface RunGroup {
  /** Short id. */
  id: string;
  /** What the group varies, in words. */
  description: string;
  /** Changes to the scale's base model. */
  model: Partial<ModelConfig>;
  /** Changes to the scale's base training. */
  train?: Partial<TrainConfig>;
  /**
   * Runs at each scale (paper: the paper's run counts). Faithful: the fewest runs with which
   * at least 5 converge with probability >= 0.8, at an assumed convergence rate of 0.8 for
   * 2 GoL and 2 model timesteps (4 of 4 probes converged) and 0.5 for every other
   * configuration (one 3-timestep probe, and 0 of 4 at quick scale): 7 and 12 runs.
   */
  runs: Record<Scale, number>;
}

const timesteps = (gol: number, model: number) => ({ golTimesteps: gol, modelTimesteps: model });

/** A group id. */
export type GroupId =
  | "t2"
  | "t3"
  | "t4"
  | "t3NoAutoencoder"
  | "t3NoRnn"
  | "t3Wide"
  | "t3Deep"
  | "g2m3"
  | "g3m2";

/** Every group of the Game of Life claims. */
export const GROUPS: Record<GroupId, RunGroup> = {
  t2: {
    id: "t2",
    description: "2 timesteps",
    model: timesteps(2, 2),
    runs: { quick: 3, faithful: 7, paper: 6 },
  },
  t3: {
    id: "t3",
    description: "3 timesteps",
    model: timesteps(3, 3),
    runs: { quick: 4, faithful: 12, paper: 42 },
  },
  t4: {
    id: "t4",
    description: "4 timesteps",
    model: timesteps(4, 4),
    runs: { quick: 2, faithful: 12, paper: 33 },
  },
  t3NoAutoencoder: {
    id: "t3NoAutoencoder",
    description: "3 timesteps, no autoencoder loss",
    model: { ...timesteps(3, 3), useAutoencoder: false },
    runs: { quick: 3, faithful: 12, paper: 22 },
  },
  t3NoRnn: {
    id: "t3NoRnn",
    description: "3 timesteps, a separate step block per timestep",
    model: { ...timesteps(3, 3), useRnn: false },
    runs: { quick: 3, faithful: 12, paper: 20 },
  },
  t3Wide: {
    id: "t3Wide",
    description: "3 timesteps, 1.5x the channels",
    model: { ...timesteps(3, 3) },
    runs: { quick: 2, faithful: 12, paper: 20 },
  },
  t3Deep: {
    id: "t3Deep",
    description: "3 timesteps, 3 encoder and 3 decoder layers",
    model: { ...timesteps(3, 3), encoderLayers: 3, decoderLayers: 3 },
    runs: { quick: 2, faithful: 12, paper: 20 },
  },
  g2m3: {
    id: "g2m3",
    description: "2 GoL, 3 model timesteps",
    model: timesteps(2, 3),
    runs: { quick: 2, faithful: 12, paper: 16 },
  },
  g3m2: {
    id: "g3m2",
    description: "3 GoL, 2 model timesteps",
    model: timesteps(3, 2),
    runs: { quick: 2, faithful: 12, paper: 22 },
  },
};

const SCALE_BASES: Record<Scale, RunConfig> = {
  quick: QUICK_CONFIG,
  faithful: FAITHFUL_CONFIG,
  paper: PAPER_CONFIG,
};

/**
 * The base configuration of a scale.
 *
 * @example
 * ```ts
 * scaleBase("quick").model.boardSize; // 8
 * ```
 */
export function scaleBase(scale: Scale): RunConfig {
  return SCALE_BASES[scale];
}

/**
 * A group's full configuration at a scale.
 *
 * @example
 * ```ts
 * const config = groupConfig(GROUPS.t3NoRnn, "quick");
 * ```
 */
export function groupConfig(group: RunGroup, scale: Scale): RunConfig {
  const base = scaleBase(scale);
  const model = { ...base.model, ...group.model };
  if (group.id === "t3Wide") model.encodedSize = Math.round(base.model.encodedSize * 1.5);
  return { model, train: { ...base.train, ...group.train } };
}

/**
 * The seeds of a group's runs: drawn by fast-check from the seed base. Every group uses the
 * same seeds, so comparisons between groups are paired by seed.
 *
 * @example
 * ```ts
 * runSeeds(3, 20240530); // three seeds
 * ```
 */
export function runSeeds(count: number, base: number): number[] {
  // noBias: uniform seeds (fast-check otherwise favours boundary values such as 2^31 - 1).
  return fc.sample(fc.noBias(fc.integer({ min: 0, max: 2 ** 31 - 1 })), {
    seed: base,
    numRuns: count,
  });
}

/**
 * The run specs of a group at a scale and seed base.
 *
 * @example
 * ```ts
 * const specs = groupSpecs(GROUPS.t3, "quick", 20240530);
 * ```
 */
export function groupSpecs(group: RunGroup, scale: Scale, base: number): RunSpec[] {
  const config = groupConfig(group, scale);
  return runSeeds(group.runs[scale], base).map((seed) => ({ kind: "gol", config, seed, scale }));
}
