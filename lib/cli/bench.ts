/**
 * `deno task bench [--json] [--config quick-ref,paper-ref] [--steps N] [--profile]
 * [--parallel N] [--backend NAME] [--peer torch|none]`: training steps per second of the
 * phase-1 step on named configurations, beside the same step in PyTorch from the same run.
 *
 * For each configuration it prints:
 * - "one core": one process of ours (one thread) against PyTorch with one thread ("one
 *   process" on a GPU backend; `lib/cli/bench_gpu.sh` compares it with the CPUs);
 * - "whole machine": `--parallel` processes of ours (default: one per core) against PyTorch
 *   with as many threads in one process, and as many one-thread PyTorch processes; the
 *   ratio is taken against the faster of the two.
 *
 * Processes that run together wait for each other after their warm-up steps and are timed
 * from a common start until the last one finishes, so no process runs alone for part of its
 * timed loop. The peer is `lib/backend/bench_torch.py`, run by the first of
 * `IMAGINATION_TORCH_PYTHON`, `python3` and `/usr/bin/python3` that imports torch (Debian:
 * `apt-get install python3-torch`); without one the peer lines say so and give no ratio.
 * `--parallel 0` skips the whole-machine lines; `--profile` prints per-kernel time shares.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type BackendInfo, initBackend } from "../backend/backend.ts";
import { tf } from "../backend/tf.ts";
import { PAPER_CONFIG, type RunConfig } from "../models/config.ts";
import { createStepRunner } from "../train/step.ts";
import { integerFlag } from "./args.ts";
import { runMain, UsageError } from "./main.ts";

/** A benchmark configuration and its default number of timed steps. */
export interface BenchConfig {
  /** The run configuration whose phase-1 step is timed. */
  config: RunConfig;
  /** Timed steps when `--steps` is not given (after 3 warm-up steps). */
  steps: number;
}

const FAITHFUL_MODEL = { ...PAPER_CONFIG.model, encodedSize: 20, modelTimesteps: 3 };

/**
 * Benchmark configurations: quick-ref and paper-ref as in the training issue, and the
 * faithful-scale candidates (16x16 and 20x20 boards, batch 32).
 *
 * @example
 * ```ts
 * BENCH_CONFIGS["paper-ref"].config.train.batchSize; // 256
 * ```
 */
export const BENCH_CONFIGS: Record<string, BenchConfig> = {
  "quick-ref": {
    config: {
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
    steps: 50,
  },
  "paper-ref": {
    config: {
      model: { ...PAPER_CONFIG.model, boardSize: 20, encodedSize: 20, modelTimesteps: 3 },
      train: { ...PAPER_CONFIG.train, batchSize: 256 },
    },
    steps: 5,
  },
  "faithful-16": {
    config: {
      model: { ...FAITHFUL_MODEL, boardSize: 16 },
      train: { ...PAPER_CONFIG.train, batchSize: 32 },
    },
    steps: 20,
  },
  "faithful-20": {
    config: {
      model: { ...FAITHFUL_MODEL, boardSize: 20 },
      train: { ...PAPER_CONFIG.train, batchSize: 32 },
    },
    steps: 20,
  },
};

const WARM_UP_STEPS = 3;
/** Backends whose one-process line is not one core's worth. */
const GPU_BACKENDS: string[] = ["webgpu", "tensorflow-gpu"];
const PEER_SCRIPT = new URL("../backend/bench_torch.py", import.meta.url).pathname;

/** One measured line: who ran, how many processes and threads, and how fast. */
interface Measurement {
  config: string;
  scope: "one core" | "one process" | "whole machine";
  engine: string;
  processes: number;
  threads: number;
  steps_per_s: number;
  ms_per_step?: number;
  detail?: string;
}

function configNamed(name: string): BenchConfig {
  const bench = BENCH_CONFIGS[name];
  if (!bench) {
    throw new UsageError(
      `--config ${name}: expected one of ${Object.keys(BENCH_CONFIGS).join(", ")}`,
    );
  }
  return bench;
}

function rounded(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** The peer's flags for a configuration: every size comes from {@link BENCH_CONFIGS}. */
function peerArgs(config: RunConfig, steps: number, threads: number): string[] {
  const { model, train } = config;
  const flags: Record<string, number> = {
    board: model.boardSize,
    channels: model.encodedSize,
    "gol-timesteps": model.golTimesteps,
    "model-timesteps": model.modelTimesteps,
    "encoder-layers": model.encoderLayers,
    "timestep-layers": model.timestepLayers,
    "decoder-layers": model.decoderLayers,
    batch: train.batchSize,
    "learning-rate": train.learningRate,
    "decay-rate": train.decayRate,
    "decay-steps": train.decaySteps,
    "clip-value": train.clipValue,
    threads,
    steps,
    warmup: WARM_UP_STEPS,
  };
  if (!model.useRnn || !model.useAutoencoder) {
    throw new Error("the torch peer models useRnn and useAutoencoder on only");
  }
  return [
    PEER_SCRIPT,
    ...Object.entries(flags).flatMap(([flag, value]) => [`--${flag}`, `${value}`]),
  ];
}

/** The first Python that imports torch, or null. */
function torchPython(): string | null {
  const candidates = [Deno.env.get("IMAGINATION_TORCH_PYTHON"), "python3", "/usr/bin/python3"];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      const probe = new Deno.Command(candidate, {
        args: ["-c", "import torch"],
        stdout: "null",
        stderr: "null",
      }).outputSync();
      if (probe.success) return candidate;
    } catch {
      // not installed: try the next one
    }
  }
  return null;
}

/** Times `steps` phase-1 steps in this process after the warm-up; `beforeTiming` may wait. */
async function timeOurs(
  bench: BenchConfig,
  steps: number,
  options: { profile?: string; beforeTiming?: () => Promise<void> } = {},
): Promise<number> {
  const runner = createStepRunner(bench.config, 1);
  for (let i = 0; i < WARM_UP_STEPS; i++) runner.step();
  if (options.profile) await printProfile(options.profile, () => runner.step());
  await options.beforeTiming?.();
  const start = performance.now();
  for (let i = 0; i < steps; i++) runner.step();
  const msPerStep = (performance.now() - start) / steps;
  runner.dispose();
  return msPerStep;
}

async function printProfile(config: string, step: () => void): Promise<void> {
  const profile = await tf.profile(step);
  const totals = new Map<string, number>();
  for (const kernel of profile.kernels) {
    totals.set(kernel.name, (totals.get(kernel.name) ?? 0) + (kernel.kernelTimeMs as number));
  }
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  const shares = [...totals].sort((a, b) => b[1] - a[1]).map(([kernel, ms]) => ({
    kernel,
    ms: rounded(ms, 2),
    share: rounded(ms / sum, 3),
  }));
  console.log(JSON.stringify({ config, kernel_ms: rounded(sum, 2), shares }));
}

async function* linesOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let pending = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    yield* lines;
  }
  if (pending) yield pending;
}

/**
 * Starts the commands at once; each prints "ready" after its warm-up and waits for a line on
 * stdin. Returns the combined steps per second from the common start to the last finish.
 */
async function runTogether(
  commands: { program: string; args: string[] }[],
  stepsEach: number,
): Promise<number> {
  const children = commands.map(({ program, args }) =>
    new Deno.Command(program, { args, stdin: "piped", stdout: "piped", stderr: "inherit" }).spawn()
  );
  const readers = children.map((child) => linesOf(child.stdout));
  for (const [i, reader] of readers.entries()) {
    const first = await reader.next();
    if (first.done || first.value.trim() !== "ready") {
      throw new Error(`${commands[i].program} ${commands[i].args[0]}: no "ready" line`);
    }
  }
  const start = performance.now();
  await Promise.all(children.map(async (child) => {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode("go\n"));
    await writer.close();
  }));
  await Promise.all(readers.map(async (reader) => {
    for await (const _ of reader) { /* the worker's own result line: the wall clock decides */ }
  }));
  const seconds = (performance.now() - start) / 1000;
  const statuses = await Promise.all(children.map((child) => child.status));
  const failed = statuses.findIndex((status) => !status.success);
  if (failed >= 0) {
    throw new Error(`${commands[failed].program}: exited with ${statuses[failed].code}`);
  }
  return commands.length * stepsEach / seconds;
}

async function waitForGo(): Promise<void> {
  console.log("ready");
  for await (const _ of Deno.stdin.readable) break;
}

function peerOneProcess(python: string, config: RunConfig, steps: number, threads: number) {
  const output = new Deno.Command(python, {
    args: peerArgs(config, steps, threads),
    stdout: "piped",
    stderr: "inherit",
  }).outputSync();
  if (!output.success) throw new Error(`${python} ${PEER_SCRIPT}: exited with ${output.code}`);
  return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!) as {
    torch: string;
    steps_per_s: number;
    ms_per_step: number;
  };
}

function print(line: object, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(line));
    return;
  }
  const record = line as Record<string, unknown>;
  if ("ratio" in record) {
    console.log(`${record.config}, ${record.scope}: ours / torch = ${record.ratio}`);
  } else if ("skipped" in record) {
    console.log(`${record.config}, ${record.scope}: ${record.engine} skipped (${record.skipped})`);
  } else {
    console.log(
      `${record.config}, ${record.scope}: ${record.engine}, ${record.processes} process(es) x ` +
        `${record.threads} thread(s): ${record.steps_per_s} steps/s`,
    );
  }
}

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
      peer: { type: "string", default: "torch" },
      worker: { type: "boolean", default: false },
    },
  });
  if (values.peer !== "torch" && values.peer !== "none") {
    throw new UsageError(`--peer ${values.peer}: expected torch or none`);
  }
  const backend: BackendInfo = await initBackend(values.backend);
  const ourEngine = `tfjs-${backend.name}`;
  const processes = values.parallel === "0"
    ? 0
    : values.parallel
    ? integerFlag("parallel", values.parallel, { min: 1, max: 64 })
    : Math.max(1, navigator.hardwareConcurrency || 1);
  const python = values.peer === "torch" ? torchPython() : null;
  for (const name of values.config.split(",")) {
    const bench = configNamed(name);
    const steps = values.steps ? integerFlag("steps", values.steps) : bench.steps;
    if (values.worker) {
      await timeOurs(bench, steps, { beforeTiming: waitForGo });
      continue;
    }
    const oursOne = await timeOurs(bench, steps, { profile: values.profile ? name : undefined });
    const one: Measurement[] = [{
      config: name,
      scope: GPU_BACKENDS.includes(backend.name) ? "one process" : "one core",
      engine: ourEngine,
      processes: 1,
      threads: 1,
      steps_per_s: rounded(1000 / oursOne, 3),
      ms_per_step: rounded(oursOne, 2),
      detail: backend.adapter ?? backend.detail,
    }];
    const whole: Measurement[] = [];
    if (processes > 0) {
      const script = new URL(import.meta.url).pathname;
      const workerArgs = ["run", "--allow-all", script, "--worker", "--config", name];
      workerArgs.push("--steps", `${steps}`, "--backend", backend.name, "--peer", "none");
      whole.push({
        config: name,
        scope: "whole machine",
        engine: ourEngine,
        processes,
        threads: 1,
        steps_per_s: rounded(
          await runTogether(
            Array.from(
              { length: processes },
              () => ({ program: Deno.execPath(), args: workerArgs }),
            ),
            steps,
          ),
          3,
        ),
        detail: backend.detail,
      });
    }
    const lines: object[] = [];
    if (values.peer === "torch" && !python) {
      lines.push(...one, ...whole);
      for (const scope of ["one core", ...(processes > 0 ? ["whole machine"] : [])]) {
        lines.push({
          config: name,
          scope,
          engine: "torch",
          skipped:
            "no python3 with torch: apt-get install python3-torch, or set IMAGINATION_TORCH_PYTHON",
        });
      }
    } else if (python) {
      const peerOne = peerOneProcess(python, bench.config, steps, 1);
      one.push({
        config: name,
        scope: "one core",
        engine: "torch",
        processes: 1,
        threads: 1,
        steps_per_s: peerOne.steps_per_s,
        ms_per_step: peerOne.ms_per_step,
        detail: `torch ${peerOne.torch}`,
      });
      lines.push(...one, { config: name, scope: "one core", ratio: ratioOf(one[0], [one[1]]) });
      if (processes > 0) {
        const threaded = peerOneProcess(python, bench.config, steps, processes);
        const peerArgsOne = [...peerArgs(bench.config, steps, 1), "--barrier", "1"];
        const spread = await runTogether(
          Array.from({ length: processes }, () => ({ program: python, args: peerArgsOne })),
          steps,
        );
        const peer = { config: name, scope: "whole machine" as const, engine: "torch" };
        const peers: Measurement[] = [
          { ...peer, processes: 1, threads: processes, steps_per_s: threaded.steps_per_s },
          { ...peer, processes, threads: 1, steps_per_s: rounded(spread, 3) },
        ];
        lines.push(...whole, ...peers, {
          config: name,
          scope: "whole machine",
          ratio: ratioOf(whole[0], peers),
        });
      }
    } else {
      lines.push(...one, ...whole);
    }
    for (const line of lines) print(line, values.json);
  }
}

/** Ours against the fastest peer line. */
function ratioOf(ours: Measurement, peers: Measurement[]): number {
  return rounded(ours.steps_per_s / Math.max(...peers.map((peer) => peer.steps_per_s)), 3);
}

const HELP =
  `usage: deno task bench [--json] [--config quick-ref,paper-ref,...] [--steps N] [--profile] \
[--parallel N] [--backend NAME] [--peer torch|none]

Training steps per second of the phase-1 step on named configurations, beside the same model in
PyTorch (lib/backend/bench_torch.py) from the same run: one core against one thread, and the
whole machine against the whole machine, with the ratios.
  --parallel N  N processes of ours for the whole-machine lines (0: skip them)
  --profile     per-kernel time shares (tf.profile)`;

if (import.meta.main) await runMain(main, { help: HELP });
