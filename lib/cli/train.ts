/**
 * `deno task train [--config FILE] [--set model.boardSize=12 ...] [--seed N] [--scale NAME]
 * [--backend NAME] [--json]`: trains one Game of Life run through the run store (reused if
 * already stored) and prints its result. Bad config values name the field and the range.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { scaleBase } from "../claims/groups.ts";
import { ensureRuns } from "../runs/pool.ts";
import type { TrainResult } from "../train/train.ts";
import { validateRunConfig } from "../train/validate.ts";
import { parseScale } from "./context.ts";

function main(): Promise<number> | number {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      options: {
        config: { type: "string" },
        set: { type: "string", multiple: true, default: [] },
        seed: { type: "string", default: "1" },
        scale: { type: "string", default: Deno.env.get("IMAGINATION_SCALE") ?? "quick" },
        backend: { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const { values } = parsed;
  try {
    const scale = parseScale(values.scale, "--scale");
    const seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0) {
      throw new Error(`--seed ${values.seed}: expected an integer >= 0`);
    }
    let raw: Record<string, Record<string, unknown>> = { model: {}, train: {} };
    if (values.config) {
      let text: string;
      try {
        text = Deno.readTextFileSync(values.config);
      } catch (error) {
        throw new Error(`${values.config}: cannot read (${(error as Error).message})`);
      }
      try {
        raw = { model: {}, train: {}, ...JSON.parse(text) };
      } catch (error) {
        throw new Error(`${values.config}: not JSON (${(error as Error).message})`);
      }
    }
    for (const assignment of values.set) {
      const match = /^(model|train)\.(\w+)=(.+)$/.exec(assignment);
      if (!match) {
        throw new Error(`--set ${assignment}: expected model.FIELD=VALUE or train.FIELD=VALUE`);
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
    if (values.backend) Deno.env.set("IMAGINATION_BACKEND", values.backend);
    return ensureRuns<TrainResult>([{ kind: "gol", config, seed, scale }], {
      workers: 1,
      label: "train",
    })
      .then(([run]) => {
        const { result } = run;
        if (values.json) {
          console.log(JSON.stringify({ dir: run.dir, ...result }));
        } else {
          console.log(
            `run ${run.dir} (seed ${seed}, ${values.scale} scale, backend ${result.backend.name})`,
          );
          console.log(
            `  ${result.status}${
              result.failure ? `: ${result.failure}` : ""
            }; ${result.steps} steps, final-state accuracy ${
              (result.finalAccuracy * 100).toFixed(2)
            }% (${result.reachedTarget ? "reached" : "did not reach"} ${
              config.train.targetAccuracy * 100
            }%)`,
          );
          console.log(
            `  Eq. 1: regular ${result.regular?.metric.toFixed(3)}, adversarial ${
              result.adversarial?.metric.toFixed(3) ?? "-"
            }, reported ${result.metric?.toFixed(3)} on ${result.evalSequences} held-out sequences`,
          );
          console.log(
            `  first step at 98% per model index: ${JSON.stringify(result.trace.firstReach98)}`,
          );
          console.log(
            `  ${result.seconds.total.toFixed(0)} s, ${
              result.stepsPerSecond.toFixed(1)
            } steps/s; draw it: deno task imagine ${run.dir}`,
          );
        }
        return 0;
      });
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
}

Deno.exit(await main());
