/**
 * `deno task bench:decoders [--steps N] [--pairs P] [--timesteps T]`: the decoder phases
 * (fresh decoder, adversarial, ceiling readouts) of one faithful-scale network with the frozen
 * states kept (`lib/train/frozen.ts`) and recomputed per batch, alternating in one process on
 * the same seed, so the ratio compares like with like on a shared machine. Both ways must give
 * the same scores; the command fails if they do not.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/backend.ts";
import { FAITHFUL_CONFIG, type RunConfig } from "../models/config.ts";
import { disposeRun, trainRun } from "../train/train.ts";
import { integerFlag } from "./args.ts";
import { runMain } from "./main.ts";

const HELP = `usage: deno task bench:decoders [--steps N] [--pairs P] [--timesteps T]

Seconds of phases 2-4 (N steps each, default 1000) of a faithful network with T timesteps
(default 3; phase 1 is cut to 100 steps), P pairs (default 2) of runs without and with the
frozen-state cache, alternating; prints each run and the ratio of the means.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      steps: { type: "string", default: "1000" },
      pairs: { type: "string", default: "2" },
      timesteps: { type: "string", default: "3" },
    },
  });
  const steps = integerFlag("steps", values.steps, { min: 1, max: 100_000 });
  const pairs = integerFlag("pairs", values.pairs, { min: 1, max: 100 });
  const timesteps = integerFlag("timesteps", values.timesteps, { min: 1, max: 8 });
  const config: RunConfig = {
    model: { ...FAITHFUL_CONFIG.model, golTimesteps: timesteps, modelTimesteps: timesteps },
    train: {
      ...FAITHFUL_CONFIG.train,
      maxSteps: 100,
      freshDecoderSteps: steps,
      adversarialSteps: steps,
      ceilingSteps: steps,
    },
  };
  const backend = await initBackend();
  console.log(
    `backend ${backend.name}: phases 2-4 of ${steps} steps, ${timesteps} timesteps, ` +
      `${config.train.trainSequences} training sequences, ${pairs} pair(s)`,
  );
  const seconds: Record<"without" | "with", number[]> = { without: [], with: [] };
  let scores: string | null = null;
  for (let pair = 0; pair < pairs; pair++) {
    for (const cache of [false, true]) {
      const run = await trainRun(config, 7, { frozenCache: cache });
      const s = run.result.seconds;
      const phases = s.freshDecoder + s.adversarial + (s.ceiling ?? 0);
      seconds[cache ? "with" : "without"].push(phases);
      console.log(
        `${cache ? "with   " : "without"} cache: fresh ${
          s.freshDecoder.toFixed(1)
        } s, adversarial ` +
          `${s.adversarial.toFixed(1)} s, ceiling ${(s.ceiling ?? 0).toFixed(1)} s, phases ` +
          `${phases.toFixed(1)} s`,
      );
      const these = JSON.stringify([run.result.fresh, run.result.adversarial, run.result.ceiling]);
      disposeRun(run);
      if (scores !== null && these !== scores) {
        throw new Error("the scores differ with and without the cache");
      }
      scores = these;
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  console.log(
    `phases 2-4, without / with the cache: ${
      (mean(seconds.without) / mean(seconds.with)).toFixed(2)
    }x ` +
      `(means of ${pairs}); scores equal both ways`,
  );
}

await runMain(main, { help: HELP });
