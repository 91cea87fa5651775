/**
 * Training a Game of Life imagination model, as the reference implementation does:
 *
 * 1. model + decoder: MSE at the trained indices (t = T, and t = 0 with the autoencoder),
 *    Adam with exponential decay, gradients clipped by value; every `evalInterval` steps the
 *    final state's per-cell accuracy on held-out boards decides whether to stop (99%);
 * 2. a fresh decoder on the frozen model, trained on indices {0, T} as in the reference (also
 *    when the model itself was trained without the autoencoder loss), scored before phase 3:
 *    Table 3's "without adversarial";
 * 3. that decoder continued adversarially against a discriminator, the generator loss ramped
 *    linearly from 0 to `adversarialWeight`: Table 3's "with adversarial";
 * 4. with `ceilingSteps`, ceiling readouts: one readout per model index, of the fresh decoder's
 *    form, trained on that index's own true GoL state with the model frozen. Where the ceiling
 *    reads an intermediate state that the {0, T} decoders miss, the network computes the state
 *    but represents it differently; where the ceiling cannot read it either, it is not there
 *    in a form a decoder of this size can read.
 *
 * Beside every decoder's scores the result records what a perfect imagination and trivial
 * decoders score on the same held-out sequences (`references`).
 *
 * Every random choice (data, weights, batches, dropout) comes from the run's seed, so the same
 * seed on the same backend gives the same numbers. A NaN or diverging loss ends the run with
 * `status: "failed"` and the reason; it never throws into a sweep.
 *
 * With `checkpoint`, phase 1 is checkpointed every `interval` steps and at its end, and each
 * later phase at its end; a run started again with the same folder resumes from there (a later
 * phase killed midway is redone from its start) and ends bit-identical to one that never
 * stopped; only `seconds` and `stepsPerSecond` differ (see `checkpoint.ts`).
 *
 * @module
 */
import { activeBackend, type BackendInfo, initBackend } from "../backend/backend.ts";
import { tf } from "../backend/tf.ts";
import { type GolSequences, runSequences, unpackStates } from "../gol/life.ts";
import { trainedIndicesFor } from "../metric/imagination.ts";
import type { RunConfig } from "../models/config.ts";
import {
  copyDecoder,
  createDecoder,
  decode,
  type Decoder,
  type DecoderShape,
} from "../decoders/decoder.ts";
import { createCritic, criticVariables } from "../decoders/critic.ts";
import { trainAdversarial, trainSupervised } from "../decoders/train.ts";
import { variablesOf } from "../layers/layers.ts";
import {
  createGolModel,
  disposeModel,
  gameIndexOf,
  type GolModel,
  hiddenStates,
} from "../models/gol_model.ts";
import { stableJson } from "../runs/store.ts";
import { runSeconds } from "../runs/timing.ts";
import { createRng, deriveSeed } from "../stats/rng.ts";
import {
  assignVariables,
  CHECKPOINT_PHASES,
  type CheckpointOptions,
  type CheckpointPhase,
  readCheckpoint,
  readVariables,
  writeCheckpoint,
} from "./checkpoint.ts";
import { type Decoding, evaluateModel } from "./evaluate.ts";
import { type MetricReferences, metricReferences } from "./references.ts";
import { createStepRunner } from "./step.ts";
import { type FrozenBatch, type FrozenStates, frozenStates, releaseFrozenBatch } from "./frozen.ts";

/** Where a run is in its work, for progress displays. */
export interface Progress {
  /** "model", "fresh-decoder", "adversarial", "ceiling" or "evaluate". */
  phase: string;
  /** Step within the phase. */
  step: number;
  /** Step cap of the phase. */
  steps: number;
  /** Last training loss. */
  loss: number;
}

/** The learning-order trace: decode accuracy of every model index over phase 1. */
export interface LearningTrace {
  /** Training steps at which the trace was taken. */
  steps: number[];
  /** accuracy[t][k]: mean per-cell accuracy of out(t) vs its GoL state at steps[k]. */
  accuracy: number[][];
  /** Per model index: first traced step with accuracy >= 98%, or null if never. */
  firstReach98: (number | null)[];
}

/** One decoder's scores on the held-out sequences. */
export interface DecoderScores {
  /** Eq. 1. */
  metric: number;
  /** The reference's MCC variant. */
  mcc: number;
  /** Per model index: mean per-cell accuracy against its GoL state. */
  indexAccuracy: number[];
}

/** Everything a verdict needs from one run. */
export interface TrainResult {
  /** "ok", or "failed" with `failure`. */
  status: "ok" | "failed";
  /** Why the run failed (NaN, divergence). */
  failure?: string;
  /** Backend that ran it. */
  backend: BackendInfo;
  /** Phase 1 steps taken. */
  steps: number;
  /** Whether phase 1 reached `targetAccuracy` (the paper's inclusion rule). */
  reachedTarget: boolean;
  /** Final-state per-cell accuracy at the end of phase 1 (held-out). */
  finalAccuracy: number;
  /** Phase 1 loss at every eval interval. */
  lossHistory: { step: number; loss: number; finalAccuracy: number }[];
  /** Learning order. */
  trace: LearningTrace;
  /** Held-out sequences scored. */
  evalSequences: number;
  /** The decoder trained with the model ("regular"). */
  regular: DecoderScores | null;
  /** The fresh decoder after phase 2. */
  fresh: DecoderScores | null;
  /** The adversarially trained decoder after phase 3. */
  adversarial: DecoderScores | null;
  /**
   * The ceiling readouts of phase 4 (absent in entries that predate it, null when skipped):
   * Eq. 1 of their outputs, each index decoded by its own readout, and per-index accuracy.
   */
  ceiling?: DecoderScores | null;
  /** Perfect imagination and trivial decoders on the same held-out sequences. */
  references: MetricReferences | null;
  /** max(regular, adversarial) Eq. 1: the paper's per-run value. */
  metric: number | null;
  /** Seconds per phase. */
  seconds: {
    model: number;
    freshDecoder: number;
    adversarial: number;
    ceiling?: number;
    evaluate: number;
    total: number;
  };
  /** Phase 1 training steps per second. */
  stepsPerSecond: number;
}

/** What a trained run leaves behind besides its result (for drawing pictures). */
export interface TrainedRun {
  /** The result. */
  result: TrainResult;
  /** The model with its phase-1 decoder. */
  model: GolModel;
  /** The adversarial (or else fresh) decoder, if trained. */
  extraDecoder: Decoder | null;
  /** The fresh decoder as phase 2 left it (before the adversarial phase), if trained. */
  freshDecoder: Decoder | null;
  /** The ceiling readouts, one per model index, if trained. */
  ceiling: Decoder[] | null;
  /** The held-out set. */
  heldOut: GolSequences;
}

/** The result so far, as a checkpoint keeps it. */
type RunProgress =
  & Pick<TrainResult, "steps" | "reachedTarget" | "finalAccuracy" | "lossHistory" | "trace">
  & {
    modelSeconds: number;
    /** Seconds the run had taken when the checkpoint was written (absent before 2026-12-07). */
    totalSeconds?: number;
  }
  & Partial<Pick<TrainResult, "fresh" | "adversarial" | "ceiling" | "seconds">>;

class RunFailure extends Error {}

function checkLoss(loss: number, step: number, phase: string): void {
  if (!Number.isFinite(loss)) throw new RunFailure(`${phase}: loss is ${loss} at step ${step}`);
  if (loss > 1e4) throw new RunFailure(`${phase}: loss diverged to ${loss} at step ${step}`);
}

/**
 * The probe batch of a held-out set: its first 256 sequences (fewer if it is smaller), one
 * tensor per GoL state. Phase 1's stopping rule and learning trace are measured on it.
 *
 * @example
 * ```ts
 * const probe = probeBatch(heldOut);
 * ```
 */
export function probeBatch(heldOut: GolSequences): tf.Tensor4D[] {
  const count = Math.min(256, heldOut.count);
  const { rows, cols } = heldOut;
  return tf.tidy(() => {
    const states = Array.from({ length: heldOut.states }, (_, t) => t);
    const data = unpackStates(heldOut, Array.from({ length: count }, (_, i) => i), states);
    const all = tf.tensor4d(data, [count, states.length, rows * cols, 1]);
    return tf.unstack(all, 1).map((b) => tf.reshape(b, [count, rows, cols, 1]) as tf.Tensor4D);
  });
}

/**
 * Mean per-cell accuracy of each model index on a probe batch, against its GoL state.
 *
 * @example
 * ```ts
 * const finalAccuracy = probeAccuracy(model, probe)[model.config.modelTimesteps];
 * ```
 */
export function probeAccuracy(model: GolModel, probe: tf.Tensor4D[]): number[] {
  return tf.tidy(() => {
    const outputs = decode(model.decoder, hiddenStates(model, probe[0]));
    return outputs.map((output, t) => {
      const target = probe[gameIndexOf(t, model.config)];
      return tf.mean(tf.equal(tf.greaterEqual(output, 0.5), tf.cast(target, "bool"))).dataSync()[0];
    });
  });
}

/**
 * One decoder's scores on held-out sequences: Eq. 1, the MCC variant, per-index accuracy.
 *
 * @example
 * ```ts
 * const scores = decoderScores(model, model.decoder, heldOut, [0, 3]);
 * ```
 */
export function decoderScores(
  model: GolModel,
  decoder: Decoding,
  heldOut: GolSequences,
  trainedIndices: number[],
): DecoderScores {
  const match = evaluateModel(model, decoder, heldOut, { trainedIndices });
  const mcc = evaluateModel(model, decoder, heldOut, { trainedIndices, variant: "mcc" });
  return { metric: match.metric, mcc: mcc.metric, indexAccuracy: match.indexAccuracy };
}

/**
 * Trains one run and returns its result and what it trained. Throws only on programming or
 * configuration errors; a numerically failed run returns `status: "failed"`.
 *
 * @example
 * ```ts
 * const { result } = await trainRun(QUICK_CONFIG, 1);
 * console.log(result.metric, result.reachedTarget);
 * ```
 */
export async function trainRun(
  config: RunConfig,
  seed: number,
  options: {
    onProgress?: (progress: Progress) => void;
    skipExtraDecoders?: boolean;
    checkpoint?: CheckpointOptions;
    /** Keep the frozen model's states for phases 2-4 (default: where it fits; see frozen.ts). */
    frozenCache?: boolean;
  } = {},
): Promise<TrainedRun> {
  const backend = activeBackend() ?? await initBackend();
  // Not const: a resumed run adds the time it had taken before (`totalSeconds`).
  let started = performance.now();
  const { model: modelConfig, train } = config;
  const T = modelConfig.modelTimesteps;
  const trainSet = runSequences(modelConfig, "train", train.trainSequences, seed);
  const heldOut = runSequences(modelConfig, "eval", train.evalSequences, seed);
  const model = createGolModel(modelConfig, createRng(deriveSeed(seed, "model-init")));
  const trainedIndices = trainedIndicesFor(T, modelConfig.useAutoencoder);
  const result: TrainResult = {
    status: "ok",
    backend,
    steps: 0,
    reachedTarget: false,
    finalAccuracy: 0,
    lossHistory: [],
    trace: { steps: [], accuracy: Array.from({ length: T + 1 }, () => []), firstReach98: [] },
    evalSequences: heldOut.count,
    regular: null,
    fresh: null,
    adversarial: null,
    ceiling: null,
    references: null,
    metric: null,
    seconds: { model: 0, freshDecoder: 0, adversarial: 0, evaluate: 0, total: 0 },
    stepsPerSecond: 0,
  };
  const probe = probeBatch(heldOut);
  let extraDecoder: Decoder | null = null;
  let freshDecoder: Decoder | null = null;
  let ceiling: Decoder[] | null = null;
  let phaseStart = performance.now();
  try {
    // Phase 1: model and decoder.
    const runner = createStepRunner(config, seed, { trainSet, model });
    const { checkpoint } = options;
    const runKey = stableJson({ config, seed });
    const saved = checkpoint ? readCheckpoint<RunProgress>(checkpoint.dir, runKey) : null;
    if (saved) {
      assignVariables(runner.variables, saved.weights);
      const { modelSeconds, totalSeconds, ...progress } = saved.progress;
      Object.assign(result, progress);
      phaseStart -= modelSeconds * 1000;
      // Older checkpoints lack the total: their phases' seconds are its lower bound.
      const before = totalSeconds ??
        runSeconds({ seconds: { ...progress.seconds, model: modelSeconds, total: 0 } }) ?? 0;
      started -= before * 1000;
      if (saved.stepper) runner.restore(saved.stepper);
    }
    /** Whether the checkpoint found at the start had passed `phase`'s end. */
    const finished = (phase: CheckpointPhase) =>
      saved !== null && CHECKPOINT_PHASES.indexOf(saved.phase) >= CHECKPOINT_PHASES.indexOf(phase);
    /** A decoder of the fresh decoder's form holding a checkpoint's values. */
    const restored = (values: Float32Array[]) => {
      const decoder = createDecoder(freshDecoderShape(config), createRng(0));
      assignVariables(variablesOf(decoder), values);
      return decoder;
    };
    let modelSeconds = saved?.progress.modelSeconds ?? 0;
    const save = (phase: CheckpointPhase) => {
      if (phase === "model" || phase === "decoders") {
        modelSeconds = (performance.now() - phaseStart) / 1000;
      }
      const decoders: Record<string, Float32Array[]> = {};
      if (extraDecoder) decoders.extra = readVariables(variablesOf(extraDecoder));
      if (freshDecoder && freshDecoder !== extraDecoder) {
        decoders.fresh = readVariables(variablesOf(freshDecoder));
      }
      if (ceiling) decoders.ceiling = readVariables(ceiling.flatMap(variablesOf));
      writeCheckpoint<RunProgress>((checkpoint as CheckpointOptions).dir, {
        run: runKey,
        phase,
        weights: readVariables(runner.variables),
        decoders,
        stepper: phase === "model" ? runner.state() : null,
        progress: {
          steps: result.steps,
          reachedTarget: result.reachedTarget,
          finalAccuracy: result.finalAccuracy,
          lossHistory: result.lossHistory,
          trace: result.trace,
          modelSeconds,
          totalSeconds: (performance.now() - started) / 1000,
          fresh: result.fresh,
          adversarial: result.adversarial,
          ceiling: result.ceiling,
          seconds: result.seconds,
        },
      });
    };
    const traced = (step: number) => {
      const accuracy = probeAccuracy(model, probe);
      result.trace.steps.push(step);
      accuracy.forEach((value, t) => result.trace.accuracy[t].push(value));
      return accuracy;
    };
    let loss = result.lossHistory.at(-1)?.loss ?? NaN;
    const phase1Done = finished("decoders");
    for (let step = result.steps + 1; !phase1Done && step <= train.maxSteps; step++) {
      loss = runner.step();
      checkLoss(loss, step, "model");
      result.steps = step;
      if (step % train.traceInterval === 0) traced(step);
      if (step % train.evalInterval === 0 || step === train.maxSteps) {
        const accuracy = probeAccuracy(model, probe)[T];
        result.finalAccuracy = accuracy;
        result.lossHistory.push({ step, loss, finalAccuracy: accuracy });
        options.onProgress?.({ phase: "model", step, steps: train.maxSteps, loss });
        if (accuracy >= train.targetAccuracy) {
          result.reachedTarget = true;
          break;
        }
      }
      if (checkpoint && step % checkpoint.interval === 0 && step < train.maxSteps) save("model");
    }
    runner.dispose();
    result.trace.firstReach98 = result.trace.accuracy.map((series) => {
      const k = series.findIndex((value) => value >= 0.98);
      return k < 0 ? null : result.trace.steps[k];
    });
    result.seconds.model = (performance.now() - phaseStart) / 1000;
    result.stepsPerSecond = result.steps / result.seconds.model;
    if (checkpoint && !phase1Done) save("decoders");

    // The reference trains the fresh decoder on {0, T} whatever the model was trained on.
    const decoderIndices = [0, T];
    // The model is frozen from here: phases 2-4 share its hidden states (frozen.ts).
    let frozenCache: FrozenStates | null = null;
    const frozen = () => frozenCache ??= frozenStates(model, trainSet, options.frozenCache);
    if (!options.skipExtraDecoders && train.freshDecoderSteps > 0) {
      if (finished("fresh")) {
        extraDecoder = restored(saved!.decoders!.extra);
        freshDecoder = saved!.decoders!.fresh ? restored(saved!.decoders!.fresh) : extraDecoder;
      } else {
        phaseStart = performance.now();
        extraDecoder = trainFreshDecoder(frozen(), config, seed, decoderIndices, options);
        result.seconds.freshDecoder = (performance.now() - phaseStart) / 1000;
        phaseStart = performance.now();
        result.fresh = decoderScores(model, extraDecoder, heldOut, trainedIndices);
        result.seconds.evaluate += (performance.now() - phaseStart) / 1000;
        freshDecoder = extraDecoder;
        if (checkpoint) save("fresh");
      }
      if (train.adversarialSteps > 0 && !finished("adversarial")) {
        // Kept so the fresh decoder's scores can be recomputed from the stored weights.
        freshDecoder = copyDecoder(extraDecoder, { trainable: false });
        phaseStart = performance.now();
        trainAdversarially(frozen(), extraDecoder, config, seed, decoderIndices, options);
        result.seconds.adversarial = (performance.now() - phaseStart) / 1000;
        phaseStart = performance.now();
        result.adversarial = decoderScores(model, extraDecoder, heldOut, trainedIndices);
        result.seconds.evaluate += (performance.now() - phaseStart) / 1000;
        if (checkpoint) save("adversarial");
      }
    }
    if (!options.skipExtraDecoders && (train.ceilingSteps ?? 0) > 0) {
      if (finished("ceiling")) {
        const values = saved!.decoders!.ceiling;
        const perReadout = values.length / (T + 1);
        ceiling = Array.from(
          { length: T + 1 },
          (_, t) => restored(values.slice(t * perReadout, (t + 1) * perReadout)),
        );
      } else {
        phaseStart = performance.now();
        ceiling = trainCeilingReadouts(model, trainSet, config, seed, {
          ...options,
          frozen: frozen(),
        });
        result.seconds.ceiling = (performance.now() - phaseStart) / 1000;
        phaseStart = performance.now();
        result.ceiling = decoderScores(model, { perIndex: ceiling }, heldOut, trainedIndices);
        result.seconds.evaluate += (performance.now() - phaseStart) / 1000;
        if (checkpoint) save("ceiling");
      }
    }
    phaseStart = performance.now();
    options.onProgress?.({ phase: "evaluate", step: 0, steps: 1, loss });
    result.regular = decoderScores(model, model.decoder, heldOut, trainedIndices);
    result.references = metricReferences(heldOut, modelConfig);
    result.seconds.evaluate += (performance.now() - phaseStart) / 1000;
    result.metric = Math.max(result.regular.metric, result.adversarial?.metric ?? -Infinity);
  } catch (error) {
    if (!(error instanceof RunFailure)) throw error;
    result.status = "failed";
    result.failure = error.message;
  } finally {
    tf.dispose(probe);
  }
  result.seconds.total = (performance.now() - started) / 1000;
  return { result, model, extraDecoder, freshDecoder, ceiling, heldOut };
}

/** The form of the fresh decoder, which the ceiling readouts share. */
function freshDecoderShape(config: RunConfig): DecoderShape {
  return {
    inChannels: config.model.encodedSize,
    hiddenLayers: config.train.freshDecoderLayers - 1,
  };
}

/** Phase 2: a fresh decoder on the frozen model's hidden states at `trainedIndices`. */
function trainFreshDecoder(
  frozen: FrozenStates,
  config: RunConfig,
  seed: number,
  trainedIndices: number[],
  options: { onProgress?: (progress: Progress) => void },
): Decoder {
  const { train, model: modelConfig } = config;
  const decoder = createDecoder(
    freshDecoderShape(config),
    createRng(deriveSeed(seed, "fresh-decoder-init")),
  );
  const rng = createRng(deriveSeed(seed, "fresh-decoder-batches"));
  trainSupervised([decoder], {
    steps: train.freshDecoderSteps,
    learningRate: train.learningRate,
    clipValue: train.clipValue,
    draw: () => frozen.batch(rng, train.batchSize, [0, modelConfig.golTimesteps]),
    loss: ({ batch, states }) => {
      const decoded = decode(decoder, trainedIndices.map((t) => states[t]));
      return tf.addN(
        decoded.map((output, i) =>
          tf.losses.meanSquaredError(trainedIndices[i] === 0 ? batch[0] : batch[1], output)
        ),
      ) as tf.Scalar;
    },
    release: releaseFrozenBatch,
    onStep: (step, loss) => {
      checkLoss(loss, step, "fresh decoder");
      if (step % train.evalInterval === 0) {
        options.onProgress?.({
          phase: "fresh-decoder",
          step,
          steps: train.freshDecoderSteps,
          loss,
        });
      }
    },
  });
  return decoder;
}

/**
 * Phase 4: one readout per model index t, of the fresh decoder's form, trained on the frozen
 * model's h(t) against t's own GoL state. All readouts see the same batches; their losses are
 * independent, so training them together equals training each alone.
 *
 * @example
 * ```ts
 * const readouts = trainCeilingReadouts(model, trainSet, config, seed, {});
 * const scores = decoderScores(model, { perIndex: readouts }, heldOut, [0, T]);
 * ```
 */
export function trainCeilingReadouts(
  model: GolModel,
  trainSet: GolSequences,
  config: RunConfig,
  seed: number,
  options: { onProgress?: (progress: Progress) => void; frozen?: FrozenStates },
): Decoder[] {
  const frozen = options.frozen ?? frozenStates(model, trainSet);
  const { train, model: modelConfig } = config;
  const steps = train.ceilingSteps ?? 0;
  const indices = Array.from({ length: modelConfig.modelTimesteps + 1 }, (_, t) => t);
  const readouts = indices.map((t) =>
    createDecoder(
      freshDecoderShape(config),
      createRng(deriveSeed(seed, `ceiling-init-${t}`)),
    )
  );
  const rng = createRng(deriveSeed(seed, "ceiling-batches"));
  const games = Array.from({ length: modelConfig.golTimesteps + 1 }, (_, g) => g);
  trainSupervised(readouts, {
    steps,
    learningRate: train.learningRate,
    clipValue: train.clipValue,
    draw: () => frozen.batch(rng, train.batchSize, games),
    loss: ({ batch, states }) =>
      tf.addN(indices.map((t) =>
        tf.losses.meanSquaredError(
          batch[gameIndexOf(t, modelConfig)],
          decode(readouts[t], [states[t]])[0],
        )
      )) as tf.Scalar,
    release: releaseFrozenBatch,
    onStep: (step, loss) => {
      checkLoss(loss, step, "ceiling readouts");
      if (step % train.evalInterval === 0) {
        options.onProgress?.({ phase: "ceiling", step, steps, loss });
      }
    },
  });
  return readouts;
}

/**
 * Phase 3: the fresh decoder continued against a critic (the reference's discriminator: Adam
 * at its default rate, gradients not clipped) on its non-trained outputs.
 */
function trainAdversarially(
  frozen: FrozenStates,
  decoder: Decoder,
  config: RunConfig,
  seed: number,
  trainedIndices: number[],
  options: { onProgress?: (progress: Progress) => void },
): void {
  const { train, model: modelConfig } = config;
  const T = modelConfig.modelTimesteps;
  const free = Array.from({ length: T + 1 }, (_, t) => t).filter((t) =>
    !trainedIndices.includes(t)
  );
  const critic = createCritic(
    { boardSize: modelConfig.boardSize, channels: [1, 4, 8, 16] },
    createRng(deriveSeed(seed, "discriminator-init")),
  );
  const rng = createRng(deriveSeed(seed, "adversarial-batches"));
  const games = Array.from({ length: modelConfig.golTimesteps + 1 }, (_, t) => t);
  trainAdversarial<FrozenBatch & { realIndex: number }>(decoder, critic, {
    steps: train.adversarialSteps,
    weight: train.adversarialWeight,
    learningRate: train.learningRate,
    criticLearningRate: 0.001,
    clipValue: train.clipValue,
    criticClipValue: Infinity,
    dropoutSeed: deriveSeed(seed, "dropout"),
    slots: 8,
    draw: () => {
      const drawn = frozen.batch(rng, train.batchSize, games);
      // Real boards: the batch's later GoL states (any of s_2..s_m), one per sequence.
      const realIndex = 1 + rng.int(games.length - 1);
      return { ...drawn, realIndex };
    },
    decoderLoss: ({ batch, states }, fool) => {
      const decoded = decode(decoder, [
        ...trainedIndices.map((t) => states[t]),
        ...free.map((t) => states[t]),
      ]);
      const supervised = trainedIndices.map((t, i) =>
        tf.losses.meanSquaredError(t === 0 ? batch[0] : batch[games.length - 1], decoded[i])
      );
      const fooling = decoded.slice(trainedIndices.length).map((boards, i) => fool(boards, i));
      return tf.addN([...supervised, ...fooling]) as tf.Scalar;
    },
    // Without free indices there is nothing generated to judge: the critic is not trained.
    criticLoss: free.length === 0 ? undefined : ({ batch, states, realIndex }, judge) => {
      const fakes = decode(decoder, free.map((t) => states[t]));
      const realLoss = judge(batch[realIndex], 1, 5);
      const fakeLoss = fakes.map((boards, i) => judge(boards, 0, 6 + i));
      return tf.add(realLoss, tf.div(tf.addN(fakeLoss), fakes.length)) as tf.Scalar;
    },
    release: releaseFrozenBatch,
    onStep: (step, loss) => {
      checkLoss(loss, step, "adversarial");
      if (step % train.evalInterval === 0) {
        options.onProgress?.({ phase: "adversarial", step, steps: train.adversarialSteps, loss });
      }
    },
  });
  tf.dispose(criticVariables(critic));
}

/**
 * Frees what a trained run holds.
 *
 * @example
 * ```ts
 * disposeRun(run);
 * ```
 */
export function disposeRun(run: TrainedRun): void {
  disposeModel(run.model);
  if (run.freshDecoder && run.freshDecoder !== run.extraDecoder) {
    tf.dispose(variablesOf(run.freshDecoder));
  }
  if (run.extraDecoder) tf.dispose(variablesOf(run.extraDecoder));
  if (run.ceiling) tf.dispose(run.ceiling.flatMap(variablesOf));
}
