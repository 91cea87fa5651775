/**
 * `deno task train [--config FILE] [--set model.boardSize=12 ...] [--seed N] [--scale NAME]
 * [--backend NAME] [--json]`: trains one Game of Life run through the run store (reused if
 * already stored) and prints its result. Bad config values name the field and the range; a
 * run that diverged exits 1 with its reason.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parseBackendName } from "../backend/backend.ts";
import { scaleBase } from "../claims/groups.ts";
import { ensureRuns } from "../runs/pool.ts";
import type { TrainResult } from "../train/train.ts";
import { validateRunConfig } from "../train/validate.ts";
import { integerFlag, MAX_SEED, userPath } from "./args.ts";
import { contextFromEnvironment } from "./context.ts";
import { runMain, UsageError } from "./main.ts";

const HELP = `usage: deno task train [--config FILE] [--set model.FIELD=VALUE ...] [--seed N] \
[--scale quick|faithful|paper] [--backend NAME] [--json]

Trains one Game of Life run through the run store (reused when already stored).
  --config FILE   JSON with "model" and "train" fields replacing the scale's defaults
  --set A=V       one field, e.g. --set model.boardSize=12 --set train.maxSteps=500
  --seed N        integer in 0..${MAX_SEED} (default 1)
  --scale NAME    quick (default, or IMAGINATION_SCALE), faithful or paper; its run store
                  (runs/, at faithful scale evidence/faithful/; IMAGINATION_RUNS_DIR overrides)
  --backend NAME  auto, webgpu, tensorflow-gpu, tensorflow, wasm-xnnpack, wasm or cpu
  --json          print the result as JSON`;

function readConfigFile(path: string): Record<string, Record<string, unknown>> {
  let text: string;
  try {
    text = Deno.readTextFileSync(userPath(path));
  } catch (error) {
    throw new Error(`${path}: cannot read (${(error as Error).message})`);
  }
  try {
    return { model: {}, train: {}, ...JSON.parse(text) };
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message})`);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      config: { type: "string" },
      set: { type: "string", multiple: true, default: [] },
      seed: { type: "string", default: "1" },
      scale: { type: "string" },
      backend: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const { scale, store } = contextFromEnvironment({ scale: values.scale });
  const seed = integerFlag("seed", values.seed, { min: 0, max: MAX_SEED });
  const backend = values.backend === undefined ? undefined : parseBackendName(values.backend);
  const raw = values.config ? readConfigFile(values.config) : { model: {}, train: {} };
  for (const assignment of values.set) {
    const match = /^(model|train)\.(\w+)=(.+)$/.exec(assignment);
    if (!match) {
      throw new UsageError(`--set ${assignment}: expected model.FIELD=VALUE or train.FIELD=VALUE`);
    }
    let value: unknown;
    try {
      value = JSON.parse(match[3]);
    } catch {
      value = match[3];
    }
    (raw[match[1]] ??= {})[match[2]] = value;
  }
  const config = validateRunConfig(raw, scaleBase(scale));
  const [run] = await ensureRuns<TrainResult>(
    [{ kind: "gol", config, seed, scale }],
    { workers: 1, label: "train", backend, store },
  );
  const { result } = run;
  if (values.json) {
    console.log(JSON.stringify({ dir: run.dir, ...result }));
  } else {
    console.log(
      `run ${run.dir} (seed ${seed}, ${scale} scale, backend ${result.backend.name})`,
    );
    console.log(
      `  ${result.status}${result.failure ? `: ${result.failure}` : ""}; ${result.steps} steps, ` +
        `final-state accuracy ${(result.finalAccuracy * 100).toFixed(2)}% (${
          result.reachedTarget ? "reached" : "did not reach"
        } ${config.train.targetAccuracy * 100}%)`,
    );
    if (result.regular) {
      console.log(
        `  Eq. 1: regular ${result.regular.metric.toFixed(3)}, adversarial ${
          result.adversarial?.metric.toFixed(3) ?? "-"
        }, reported ${
          result.metric?.toFixed(3) ?? "-"
        } on ${result.evalSequences} held-out sequences`,
      );
    }
    console.log(
      `  first step at 98% per model index: ${JSON.stringify(result.trace.firstReach98)}`,
    );
    console.log(
      `  ${result.seconds.total.toFixed(0)} s, ${
        result.stepsPerSecond.toFixed(1)
      } steps/s; draw it: deno task imagine ${run.dir}`,
    );
  }
  if (result.status === "failed") {
    console.error(`error: run ${run.dir} failed: ${result.failure}`);
    return 1;
  }
  return 0;
}

await runMain(main, { help: HELP });
