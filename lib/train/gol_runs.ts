/**
 * Game of Life runs in the run store: RunSpec -> trained result and weights, and back.
 *
 * @module
 */
import type { RunConfig } from "../models/config.ts";
import type { GolModel } from "../models/gol_model.ts";
import type { ConvLayer } from "../layers/layers.ts";
import { loadLayers, saveLayers } from "../layers/serialize.ts";
import type { ExecuteOptions, RunOutput, RunProgress } from "../runs/kinds.ts";
import type { RunSpec } from "../runs/store.ts";
import { validateRunConfig } from "./validate.ts";
import { disposeRun, trainRun } from "./train.ts";

/**
 * Phase 1 steps between checkpoints when the executor is given a checkpoint folder. At 16x16,
 * batch 32 (40-110 ms a step on one core) a kill loses about a minute of work at most.
 */
export const CHECKPOINT_INTERVAL = 500;

/**
 * Trains the run a spec describes and returns its result and weight files. With
 * `checkpointDir` it checkpoints there every `checkpointInterval` steps (default
 * {@link CHECKPOINT_INTERVAL}) and resumes from a checkpoint it finds.
 *
 * @example
 * ```ts
 * const output = await executeGolRun({ kind: "gol", config: QUICK_CONFIG, seed: 1, scale: "quick" }, () => {});
 * ```
 */
export async function executeGolRun(
  spec: RunSpec,
  onProgress: (progress: RunProgress) => void,
  options: ExecuteOptions & { checkpointInterval?: number } = {},
): Promise<RunOutput> {
  const config = validateRunConfig(spec.config);
  const checkpoint = options.checkpointDir
    ? { dir: options.checkpointDir, interval: options.checkpointInterval ?? CHECKPOINT_INTERVAL }
    : undefined;
  const run = await trainRun(config, spec.seed, { onProgress, checkpoint });
  const groups: Record<string, readonly ConvLayer[]> = {
    encoder: run.model.encoder,
    decoder: run.model.decoder,
  };
  run.model.steps.forEach((block, i) => groups[`step${i}`] = block);
  if (run.extraDecoder) groups.extraDecoder = run.extraDecoder;
  if (run.freshDecoder && run.freshDecoder !== run.extraDecoder) {
    groups.freshDecoder = run.freshDecoder;
  }
  run.ceiling?.forEach((readout, t) => groups[`ceiling${t}`] = readout);
  const { manifest, data } = saveLayers(groups);
  disposeRun(run);
  return { result: run.result, files: { "weights.json": manifest, "weights.bin": data } };
}

/**
 * Rebuilds a stored run's model and extra decoder from its folder, the fresh decoder as
 * phase 2 left it when phase 3 continued it (null otherwise: then the extra decoder is the
 * fresh one, or the entry predates this field), and the ceiling readouts (null when phase 4
 * was skipped).
 *
 * @example
 * ```ts
 * const { model, extraDecoder } = loadGolRun(stored.dir, config);
 * ```
 */
export function loadGolRun(
  dir: string,
  config: RunConfig,
): {
  model: GolModel;
  extraDecoder: ConvLayer[] | null;
  freshDecoder: ConvLayer[] | null;
  ceiling: ConvLayer[][] | null;
} {
  const groups = loadLayers(
    Deno.readTextFileSync(`${dir}/weights.json`),
    Deno.readFileSync(`${dir}/weights.bin`),
  );
  const blocks = config.model.useRnn ? 1 : config.model.modelTimesteps;
  const model: GolModel = {
    config: config.model,
    encoder: groups.encoder,
    steps: Array.from({ length: blocks }, (_, i) => groups[`step${i}`]),
    decoder: groups.decoder,
  };
  return {
    model,
    extraDecoder: groups.extraDecoder ?? null,
    freshDecoder: groups.freshDecoder ?? null,
    ceiling: groups.ceiling0
      ? Array.from({ length: config.model.modelTimesteps + 1 }, (_, t) => groups[`ceiling${t}`])
      : null,
  };
}
