/**
 * Checkpoints of a Game of Life run (and, with the same helpers, of the chess network's
 * training, `lib/chess/net/build.ts`), so that a long run survives being killed and ends
 * bit-identical to one that never stopped (on the same backend).
 *
 * A checkpoint holds everything phase 1 carries from one step to the next: the model's weights,
 * Adam's moments, its bias-correction accumulators and iteration count, the batch generator's
 * state (the data position: the training set itself is regenerated from the seed), the step,
 * and the result so far (loss history, learning trace, final-state accuracy, seconds spent).
 * Phase 1's end is checkpointed too, and so is the end of each later phase (fresh decoder,
 * adversarial decoder, ceiling readouts) with the decoders it trained and their scores. Each
 * later phase starts from fresh weights, optimizers and generators derived from the run's seed,
 * so a phase killed midway is redone from its start and gives the same numbers; at most one
 * phase's work is lost.
 *
 * The checkpoint interval is an execution option, not part of the run's configuration: it
 * changes no number of the run, so it must not change the run's hash either.
 *
 * One file, `checkpoint.json`, written to a temporary name and renamed over the old one, so a
 * kill at any moment leaves either the previous checkpoint or the new one.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { tf } from "../backend/tf.ts";
import type { RngState } from "../stats/rng.ts";

/**
 * Adam's whole state. Moments are in the optimizer's own order: the key order of the gradient
 * map of the variables it trains.
 */
export interface AdamState {
  /** Steps applied. */
  iterations: number;
  /** beta1^steps and beta2^steps as Adam accumulates them (float32 products, not powers). */
  accBeta: [number, number];
  /** First moments, one per variable. */
  first: Float32Array[];
  /** Second moments, one per variable. */
  second: Float32Array[];
}

interface AdamInternals {
  iterations_: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

// TF.js's getWeights/setWeights recompute beta^(t+1) with pow, which differs from the running
// product in the last bits; the fields are read and written directly instead.
function internals(optimizer: tf.AdamOptimizer): AdamInternals {
  return optimizer as unknown as AdamInternals;
}

/**
 * Reads an Adam optimizer's state.
 *
 * @example
 * ```ts
 * const state = adamState(optimizer);
 * ```
 */
export function adamState(optimizer: tf.AdamOptimizer): AdamState {
  const inner = internals(optimizer);
  const read = (moments: AdamInternals["accumulatedFirstMoment"]) =>
    moments.map((moment) => Float32Array.from(moment.variable.dataSync() as Float32Array));
  return {
    iterations: inner.iterations_ ?? 0,
    accBeta: [inner.accBeta1.dataSync()[0], inner.accBeta2.dataSync()[0]],
    first: read(inner.accumulatedFirstMoment),
    second: read(inner.accumulatedSecondMoment),
  };
}

/**
 * Puts a state read by {@link adamState} into an optimizer that trains the same variables in
 * the same order (given as the trainer passes them to `tf.variableGrads`).
 *
 * @example
 * ```ts
 * restoreAdam(tf.train.adam(1e-3), state, variables);
 * ```
 */
export function restoreAdam(
  optimizer: tf.AdamOptimizer,
  state: AdamState,
  variables: readonly tf.Variable[],
): void {
  if (state.first.length !== variables.length || state.second.length !== variables.length) {
    throw new Error(
      `checkpoint: Adam state for ${state.first.length} variables, the model has ${variables.length}`,
    );
  }
  const inner = internals(optimizer);
  inner.iterations_ = state.iterations;
  inner.accBeta1.assign(tf.scalar(state.accBeta[0]));
  inner.accBeta2.assign(tf.scalar(state.accBeta[1]));
  // Adam keeps its moments in the key order of the gradient map `tf.variableGrads` builds
  // from `variables`, where integer-like names (TF.js's default names) come first.
  const order = Object.values(Object.fromEntries(variables.map((v) => [v.name, v])));
  const moments = (values: Float32Array[], suffix: string) =>
    values.map((value, i) => ({
      originalName: `${order[i].name}/${suffix}`,
      variable: tf.variable(tf.tensor(value, order[i].shape), false),
    }));
  tf.dispose([
    ...inner.accumulatedFirstMoment.map((m) => m.variable),
    ...inner.accumulatedSecondMoment.map((m) => m.variable),
  ]);
  inner.accumulatedFirstMoment = moments(state.first, "m");
  inner.accumulatedSecondMoment = moments(state.second, "v");
}

/** Where and how often a run is checkpointed. */
export interface CheckpointOptions {
  /** The run's checkpoint folder (one run per folder). */
  dir: string;
  /** Training steps between checkpoints. */
  interval: number;
}

/** Phase 1's step loop state: what a step runner needs to continue. */
export interface StepState {
  /** Steps taken. */
  steps: number;
  /** The batch generator. */
  batches: RngState;
  /** The optimizer. */
  optimizer: AdamState;
}

/** Where a checkpointed run stands, in the order a run passes through. */
export const CHECKPOINT_PHASES = ["model", "decoders", "fresh", "adversarial", "ceiling"] as const;

/** See {@link CHECKPOINT_PHASES}. */
export type CheckpointPhase = typeof CHECKPOINT_PHASES[number];

/** A run's checkpoint. `P` is the result-so-far the trainer keeps. */
export interface Checkpoint<P> {
  /** What run it belongs to (configuration and seed as stable JSON). */
  run: string;
  /**
   * "model": inside phase 1, continue with `stepper`; "decoders": phase 1 finished; "fresh",
   * "adversarial", "ceiling": that later phase finished too.
   */
  phase: CheckpointPhase;
  /** The model's variables, in the trainer's order. */
  weights: Float32Array[];
  /** Variables of the decoders the finished later phases trained, by name. */
  decoders?: Record<string, Float32Array[]>;
  /** Phase 1's loop state ("model" only). */
  stepper: StepState | null;
  /** The result so far. */
  progress: P;
}

const FORMAT = "imagination-lens-checkpoint-1";
const FILE = "checkpoint.json";

const encode = (values: Float32Array) =>
  Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("base64");

function decode(text: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/**
 * Writes a checkpoint atomically into `dir` (created if missing), replacing the previous one.
 *
 * @example
 * ```ts
 * writeCheckpoint(".checkpoints/3f2a", checkpoint);
 * ```
 */
export function writeCheckpoint<P>(dir: string, checkpoint: Checkpoint<P>): void {
  Deno.mkdirSync(dir, { recursive: true });
  const { stepper } = checkpoint;
  const text = JSON.stringify({
    format: FORMAT,
    ...checkpoint,
    weights: checkpoint.weights.map(encode),
    decoders: checkpoint.decoders &&
      Object.fromEntries(
        Object.entries(checkpoint.decoders).map(([name, values]) => [name, values.map(encode)]),
      ),
    stepper: stepper && {
      ...stepper,
      optimizer: {
        ...stepper.optimizer,
        first: stepper.optimizer.first.map(encode),
        second: stepper.optimizer.second.map(encode),
      },
    },
  });
  const temporary = `${dir}/${FILE}.partial-${Deno.pid}`;
  Deno.writeTextFileSync(temporary, text);
  Deno.renameSync(temporary, `${dir}/${FILE}`);
}

/**
 * The checkpoint in `dir`, or null when there is none. A checkpoint of another run (its
 * configuration or seed differ) is an error naming the folder.
 *
 * @example
 * ```ts
 * const saved = readCheckpoint<Progress>(".checkpoints/3f2a", runKey);
 * ```
 */
export function readCheckpoint<P>(dir: string, run: string): Checkpoint<P> | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(`${dir}/${FILE}`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const raw = JSON.parse(text);
  if (raw.format !== FORMAT) {
    throw new Error(`${dir}/${FILE}: format "${raw.format}", expected ${FORMAT}; delete it`);
  }
  if (raw.run !== run) {
    throw new Error(
      `${dir}/${FILE} belongs to another run (configuration or seed differ); delete it`,
    );
  }
  return {
    run: raw.run,
    phase: raw.phase,
    weights: raw.weights.map(decode),
    decoders: raw.decoders &&
      Object.fromEntries(
        Object.entries(raw.decoders as Record<string, string[]>).map((
          [name, values],
        ) => [name, values.map(decode)]),
      ),
    stepper: raw.stepper && {
      ...raw.stepper,
      optimizer: {
        ...raw.stepper.optimizer,
        first: raw.stepper.optimizer.first.map(decode),
        second: raw.stepper.optimizer.second.map(decode),
      },
    },
    progress: raw.progress,
  };
}

/**
 * Reads variables' values, to store in a checkpoint.
 *
 * @example
 * ```ts
 * const weights = readVariables(variables);
 * ```
 */
export function readVariables(variables: readonly tf.Variable[]): Float32Array[] {
  return variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
}

/**
 * Assigns stored values to variables of the same shapes, in the same order.
 *
 * @example
 * ```ts
 * assignVariables(variables, checkpoint.weights);
 * ```
 */
export function assignVariables(variables: readonly tf.Variable[], values: Float32Array[]): void {
  if (values.length !== variables.length) {
    throw new Error(
      `checkpoint: ${values.length} weight tensors, the model has ${variables.length}`,
    );
  }
  variables.forEach((variable, i) => {
    tf.tidy(() => variable.assign(tf.tensor(values[i], variable.shape)));
  });
}
