/**
 * `deno task bench [--json] [--config quick-ref,paper-ref] [--steps N] [--profile]
 * [--parallel N] [--backend NAME]`: training steps per second of the phase-1 step on named
 * configurations. `--profile` prints per-kernel time shares (tf.profile). `--parallel N` runs
 * N independent worker processes at once and reports their combined steps/s separately.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/backend.ts";
import { tf } from "../backend/tf.ts";
import { PAPER_CONFIG, type RunConfig } from "../models/config.ts";
import { createStepRunner } from "../train/step.ts";
import { integerFlag } from "./args.ts";
import { runMain, UsageError } from "./main.ts";

const HELP =
  `usage: deno task bench [--json] [--config quick-ref,paper-ref] [--steps N] [--profile] \
[--parallel N] [--backend NAME]

Training steps per second of the phase-1 step on named configurations.
  --profile     per-kernel time shares (tf.profile)
  --parallel N  N worker processes at once; their combined steps/s`;

/** Benchmark configurations, named as in the training issue. */
export const BENCH_CONFIGS: Record<string, RunConfig> = {
  "quick-ref": {
    model: {
      ...PAPER_CONFIG.model,
      boardSize: 8,
      encodedSize: 16,
      golTimesteps: 2,
      modelTimesteps: 2,
      timestepLayers: 3,
      encoderLayers: 1,
      decoderLayers: 1,
    },
    train: { ...PAPER_CONFIG.train, batchSize: 64 },
  },
  "paper-ref": {
    model: { ...PAPER_CONFIG.model, boardSize: 20, encodedSize: 20, modelTimesteps: 3 },
    train: { ...PAPER_CONFIG.train, batchSize: 256 },
  },
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      json: { type: "boolean", default: false },
      config: { type: "string", default: "quick-ref,paper-ref" },
      steps: { type: "string" },
      profile: { type: "boolean", default: false },
      backend: { type: "string" },
      parallel: { type: "string" },
    },
  });
  const names = values.config.split(",");
  for (const name of names) {
    if (!BENCH_CONFIGS[name]) {
      throw new UsageError(
        `--config ${name}: expected one of ${Object.keys(BENCH_CONFIGS).join(", ")}`,
      );
    }
  }
  const parallel = values.parallel === undefined
    ? undefined
    : integerFlag("parallel", values.parallel, { min: 1, max: 64 });
  const fixedSteps = values.steps === undefined ? undefined : integerFlag("steps", values.steps);
  const backend = await initBackend(values.backend);
  for (const name of names) {
    const config = BENCH_CONFIGS[name];
    const steps = fixedSteps ?? (name === "paper-ref" ? 5 : 50);
    if (parallel) {
      await parallelBench(name, parallel, steps, backend.name, values.json);
      continue;
    }
    const runner = createStepRunner(config, 1);
    for (let i = 0; i < 3; i++) runner.step(); // warm-up
    if (values.profile) {
      const profile = await tf.profile(() => {
        runner.step();
      });
      const totals = new Map<string, number>();
      for (const kernel of profile.kernels) {
        totals.set(kernel.name, (totals.get(kernel.name) ?? 0) + (kernel.kernelTimeMs as number));
      }
      const sum = [...totals.values()].reduce((a, b) => a + b, 0);
      const shares = [...totals].sort((a, b) => b[1] - a[1]).map(([kernel, ms]) => ({
        kernel,
        ms: Number(ms.toFixed(2)),
        share: Number((ms / sum).toFixed(3)),
      }));
      console.log(JSON.stringify({ config: name, backend: backend.name, kernel_ms: sum, shares }));
    }
    const start = performance.now();
    for (let i = 0; i < steps; i++) runner.step();
    const msPerStep = (performance.now() - start) / steps;
    runner.dispose();
    const line = {
      config: name,
      backend: backend.name,
      steps_per_s: Number((1000 / msPerStep).toFixed(3)),
      ms_per_step: Number(msPerStep.toFixed(2)),
    };
    console.log(
      values.json
        ? JSON.stringify(line)
        : `${name} on ${backend.name}: ${line.ms_per_step} ms/step, ${line.steps_per_s} steps/s`,
    );
  }
}

async function parallelBench(
  name: string,
  workers: number,
  steps: number,
  backend: string,
  json: boolean,
): Promise<void> {
  const script = new URL(import.meta.url).pathname;
  const start = performance.now();
  const outputs = await Promise.all(
    Array.from({ length: workers }, () =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-all",
          script,
          "--json",
          "--config",
          name,
          "--steps",
          String(steps),
          "--backend",
          backend,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output()),
  );
  const failed = outputs.find((output) => !output.success);
  if (failed) {
    const reason = new TextDecoder().decode(failed.stderr).trim().split("\n").at(-1);
    throw new Error(`a parallel bench process failed: ${reason}`);
  }
  const wall = (performance.now() - start) / 1000;
  const each = outputs.map((o) =>
    JSON.parse(new TextDecoder().decode(o.stdout).trim().split("\n").at(-1)!)
  );
  const combined = each.reduce((sum, line) => sum + line.steps_per_s, 0);
  const line = {
    config: name,
    backend,
    parallel: workers,
    steps_per_s: Number(combined.toFixed(3)),
    wall_s: Number(wall.toFixed(1)),
  };
  console.log(
    json
      ? JSON.stringify(line)
      : `${name} x${workers} processes: ${line.steps_per_s} steps/s combined`,
  );
}

if (import.meta.main) await runMain(main, { help: HELP });
