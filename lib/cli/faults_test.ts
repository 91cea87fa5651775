/**
 * Fault injection on the tasks as a user runs them: every bad input gives one `error:` line,
 * no stack trace and a non-zero exit; SIGKILL of the parent or the worker at random points
 * loses no finished run and leaves nothing that blocks the next run; a damaged store entry
 * is redone; two processes on one spec train it once. Runs are tiny Game of Life runs.
 */
import assert from "node:assert/strict";
import onnxProto from "onnx-proto";
import { SHIPPED_NETWORK } from "../chess/claim.ts";
import { LC0_NAMES } from "../chess/net/onnx_export.ts";
import { projectPath } from "../chess/study.ts";
import { createRng } from "../stats/rng.ts";

const root = new URL("../../", import.meta.url).pathname;
const runsDir = Deno.makeTempDirSync({ prefix: "faults-runs-" });
const userDir = Deno.makeTempDirSync({ prefix: "faults-user-" });
const TINY = [
  "model.boardSize=6",
  "model.encodedSize=4",
  "train.maxSteps=12",
  "train.evalInterval=6",
  "train.traceInterval=6",
  "train.trainSequences=100",
  "train.evalSequences=20",
  "train.freshDecoderSteps=3",
  "train.adversarialSteps=3",
  "train.batchSize=8",
].flatMap((assignment) => ["--set", assignment]);
/** A run long enough (about 10 s) to be killed while it trains. */
const LONG = [...TINY, "--set", "train.maxSteps=400", "--set", "train.evalInterval=400"];

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** A task's process; an `env` value of undefined removes that variable. */
function command(
  task: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Deno.Command {
  const merged: Record<string, string> = {
    ...Deno.env.toObject(),
    IMAGINATION_RUNS_DIR: runsDir,
    INIT_CWD: userDir,
  };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${root}lib/cli/${task}.ts`, ...args],
    cwd: root,
    clearEnv: true,
    env: merged,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

async function run(
  task: string,
  args: string[],
  env?: Record<string, string | undefined>,
): Promise<Outcome> {
  const output = await command(task, args, env).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

function assertOneLine(outcome: Outcome, message: RegExp): void {
  assert.notEqual(outcome.code, 0, outcome.stderr);
  const errors = outcome.stderr.split("\n").filter((line) => line.startsWith("error:"));
  assert.equal(errors.length, 1, outcome.stderr);
  assert.match(errors[0], message);
  assert.doesNotMatch(outcome.stderr, /^\s+at |Uncaught/m, "no stack trace");
}

/** Worker processes of this suite's store (their environment names its folder). */
function ourWorkers(): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`);
      const environ = Deno.readTextFileSync(`/proc/${entry.name}/environ`);
      if (
        cmdline.includes("runs/worker.ts") && environ.includes(`IMAGINATION_RUNS_DIR=${runsDir}`)
      ) {
        pids.push(Number(entry.name));
      }
    } catch { /* exited meanwhile */ }
  }
  return pids;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a task and counts the worker processes seen while it ran (looked for every 20 ms). */
async function runWatchingWorkers(
  task: string,
  args: string[],
): Promise<Outcome & { workers: number }> {
  const seen = new Set<number>();
  let done = false;
  const watching = (async () => {
    while (!done) {
      ourWorkers().forEach((pid) => seen.add(pid));
      await sleep(20);
    }
  })();
  const outcome = await run(task, args);
  done = true;
  await watching;
  return { ...outcome, workers: seen.size };
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (check()) return true;
  return check();
}

function entries(): string[] {
  return [...Deno.readDirSync(runsDir)].map((e) => e.name).filter((n) => /^[0-9a-f]{16}$/.test(n));
}

Deno.writeTextFileSync(`${userDir}/bad.json`, "{ not json");
Deno.writeTextFileSync(`${userDir}/tiny.json`, JSON.stringify({ model: { boardSize: 6 } }));
Deno.writeTextFileSync(`${userDir}/not.onnx`, "plain text");
Deno.writeTextFileSync(`${userDir}/empty.onnx`, "");
const shippedNetwork = Deno.readFileSync(projectPath(SHIPPED_NETWORK));
Deno.writeFileSync(`${userDir}/truncated.onnx`, shippedNetwork.slice(0, shippedNetwork.length / 2));
Deno.writeFileSync(`${userDir}/policy100.onnx`, withPolicySize(shippedNetwork, 100));

/**
 * The network with its policy output cut to the first `moves` of Lc0's 1858 moves (the gather
 * that maps the policy planes to moves keeps `moves` entries): a valid graph that onnxruntime
 * runs, with a policy of the wrong size.
 */
function withPolicySize(network: Uint8Array, moves: number): Uint8Array {
  const { onnx } = onnxProto;
  const model = onnx.ModelProto.decode(network);
  const graph = model.graph as onnxProto.onnx.GraphProto;
  const table = graph.initializer.find((tensor) => tensor.name === "/const/mapping_table")!;
  table.dims = [moves];
  table.rawData = table.rawData!.slice(0, moves * BigInt64Array.BYTES_PER_ELEMENT);
  const policy = graph.output.find((output) => output.name === LC0_NAMES.policy)!;
  policy.type!.tensorType!.shape!.dim![1] = { dimValue: moves };
  return onnx.ModelProto.encode(model).finish();
}

/** [name, task, args, env, expected error line] */
const BAD_INPUTS: [string, string, string[], Record<string, string>, RegExp][] = [
  ["train: unknown flag", "train", ["--bogus"], {}, /Unknown option '--bogus'/],
  ["train: unknown backend", "train", [...TINY, "--backend", "foo"], {}, /backend "foo"/],
  ["train: seed beyond 2^31-1", "train", ["--seed", "99999999999999999999"], {}, /0\.\.2147483647/],
  ["train: seed not a number", "train", ["--seed", "abc"], {}, /--seed abc/],
  ["train: unknown scale", "train", ["--scale", "huge"], {}, /--scale "huge": expected one of/],
  ["train: bad config value", "train", ["--set", "model.boardSize=1"], {}, /model.boardSize 1/],
  ["train: malformed --set", "train", ["--set", "boardSize"], {}, /--set boardSize/],
  [
    "train: missing --config",
    "train",
    ["--config", "missing.json"],
    {},
    /missing.json: cannot read/,
  ],
  ["train: --config not JSON", "train", ["--config", "bad.json"], {}, /bad.json: not JSON/],
  ["train: IMAGINATION_WORKERS=0", "train", TINY, { IMAGINATION_WORKERS: "0" }, /WORKERS "0"/],
  ["train: IMAGINATION_WORKERS=abc", "train", TINY, { IMAGINATION_WORKERS: "abc" }, /"abc"/],
  ["train: IMAGINATION_BACKEND=foo", "train", TINY, { IMAGINATION_BACKEND: "foo" }, /"foo"/],
  ["imagine: no run", "imagine", [], {}, /expected one run, got 0/],
  ["imagine: unknown run", "imagine", ["0000000000000000"], {}, /no spec.json there/],
  ["imagine: unknown decoder", "imagine", ["x", "--decoder", "foo"], {}, /--decoder foo/],
  ["imagine: --sequences 0", "imagine", ["x", "--sequences", "0"], {}, /--sequences 0/],
  ["bench:gol: --count abc", "bench_gol", ["--count", "abc"], {}, /--count abc/],
  ["bench:gol: --repeats 0", "bench_gol", ["--repeats", "0"], {}, /--repeats 0/],
  ["bench: unknown config", "bench", ["--config", "nope"], {}, /--config nope/],
  ["bench: --steps 0", "bench", ["--steps", "0"], {}, /--steps 0/],
  ["chess:study: unknown flag", "chess_study", ["--bogus"], {}, /Unknown option/],
  ["chess:study: --decoder-steps 0", "chess_study", ["--decoder-steps", "0"], {}, /steps 0/],
  ["chess:study: network not ONNX", "chess_study", ["--network", "not.onnx"], {}, /not.onnx/],
  [
    "chess:study: network an empty file",
    "chess_study",
    ["--network", "empty.onnx"],
    {},
    /network .*empty.onnx: unsupported graph: the file has no graph/,
  ],
  [
    "chess:study: network cut in half",
    "chess_study",
    ["--network", "truncated.onnx"],
    {},
    /network .*truncated.onnx: unsupported graph: not an ONNX protobuf/,
  ],
  [
    "chess:study: positions missing",
    "chess_study",
    ["--positions", "missing.json"],
    {},
    /positions .*missing.json: cannot read/,
  ],
  ["chess:build: --positions abc", "chess_build", ["--positions", "abc"], {}, /--positions abc/],
  ["reproduce: unknown flag", "reproduce", ["--bogus"], {}, /Unknown option/],
];

const HELP_TASKS = ["train", "imagine", "bench", "bench_gol", "chess_study", "chess_build"];

Deno.test("fault injection: every failure is one line and a non-zero exit; the store heals", async (t) => {
  let cases = 0;
  const step = async (name: string, fn: () => Promise<void>) => {
    cases++;
    assert.ok(await t.step(name, fn), name);
  };

  for (const task of [...HELP_TASKS, "reproduce", "metric"]) {
    await step(`${task} --help prints its usage`, async () => {
      const outcome = await run(task, ["--help"]);
      assert.equal(outcome.code, 0, outcome.stderr);
      assert.match(outcome.stdout, /^usage: deno task /);
    });
  }
  for (const [name, task, args, env, message] of BAD_INPUTS) {
    await step(name, async () => assertOneLine(await run(task, args, env), message));
  }

  await step(
    "chess:study: a policy of the wrong size is refused before any worker starts",
    async () => {
      const outcome = await runWatchingWorkers("chess_study", ["--network", "policy100.onnx"]);
      assertOneLine(outcome, /network .*policy100.onnx: policy has 100 outputs; expected 1858$/);
      assert.equal(outcome.workers, 0, "no worker started");
      assert.doesNotMatch(outcome.stderr, /\[chess\]/, "no run was started");
    },
  );

  await step("IMAGINATION_DEBUG=1 shows the stack trace", async () => {
    const outcome = await run("train", ["--backend", "foo"], { IMAGINATION_DEBUG: "1" });
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /backend "foo"[\s\S]*\n\s+at /);
  });

  // A first run, which every later fault must leave intact.
  const first = await run("train", [...TINY, "--json"]);
  assert.equal(first.code, 0, first.stderr);
  const firstDir = JSON.parse(first.stdout).dir as string;
  const firstResult = Deno.readTextFileSync(`${firstDir}/result.json`);
  const hash = firstDir.split("/").at(-1)!;

  await step("train: a relative --config is read from the user's folder", async () => {
    const outcome = await run("train", [...TINY, "--config", "tiny.json", "--json"]);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.equal(JSON.parse(outcome.stdout).dir, firstDir, "boardSize 6 from tiny.json: same run");
  });
  await step("train: XDG_RUNTIME_DIR unset, a successful run prints no line about it", async () => {
    const outcome = await run("train", [...TINY, "--seed", "3"], { XDG_RUNTIME_DIR: undefined });
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stderr, /1 trained/, "a worker trained it, and looked for a GPU");
    assert.doesNotMatch(outcome.stdout + outcome.stderr, /XDG_RUNTIME_DIR/);
  });
  await step(
    "imagine: XDG_RUNTIME_DIR relative, a successful run prints no line about it",
    async () => {
      const out = `${userDir}/xdg.png`;
      const outcome = await run("imagine", [hash, "--out", out, "--sequences", "1"], {
        XDG_RUNTIME_DIR: "relative/dir",
      });
      assert.equal(outcome.code, 0, outcome.stderr);
      assert.ok(Deno.statSync(out).size > 0);
      assert.doesNotMatch(outcome.stdout + outcome.stderr, /XDG_RUNTIME_DIR/);
    },
  );
  await step("train: a stored run from another backend is refused", async () => {
    assertOneLine(await run("train", [...TINY, "--backend", "cpu"]), /stored from backend wasm/);
  });
  await step("train: a diverged run exits 1 with its reason", async () => {
    const args = [...TINY, "--set", "train.learningRate=0.99", "--set", "train.clipValue=1000000"];
    assertOneLine(await run("train", [...args, "--seed", "5"]), /failed: .*diverged/);
  });
  await step(
    "imagine: a relative run path and --out are taken from the user's folder",
    async () => {
      Deno.symlinkSync(firstDir, `${userDir}/mine`);
      const outcome = await run("imagine", ["mine", "--out", "mine.png", "--sequences", "1"]);
      assert.equal(outcome.code, 0, outcome.stderr);
      assert.ok(Deno.statSync(`${userDir}/mine.png`).size > 0);
    },
  );
  await step("imagine: an unwritable --out", async () => {
    assertOneLine(await run("imagine", [hash, "--out", "/proc/x.png"]), /--out \/proc\/x.png/);
  });

  const copy = (name: string) => {
    const dir = `${userDir}/${name}`;
    Deno.mkdirSync(dir);
    for (const file of Deno.readDirSync(firstDir)) {
      Deno.copyFileSync(`${firstDir}/${file.name}`, `${dir}/${file.name}`);
    }
    return dir;
  };
  await step("imagine: a truncated spec.json", async () => {
    const dir = copy("truncated-spec");
    Deno.writeTextFileSync(`${dir}/spec.json`, '{"kind": "gol", "con');
    assertOneLine(await run("imagine", [dir]), /spec.json: not JSON/);
  });
  await step("imagine: a short weights.bin", async () => {
    const dir = copy("short-weights");
    Deno.writeFileSync(`${dir}/weights.bin`, Deno.readFileSync(`${dir}/weights.bin`).slice(0, 7));
    assertOneLine(await run("imagine", [dir]), /cannot load its weights/);
  });
  await step("imagine: a missing weights.bin", async () => {
    const dir = copy("no-weights");
    Deno.removeSync(`${dir}/weights.bin`);
    assertOneLine(await run("imagine", [dir]), /cannot load its weights/);
  });

  for (
    const [name, damage] of [
      ["an empty result {}", (dir: string) => Deno.writeTextFileSync(`${dir}/result.json`, "{}")],
      ["a truncated result", (dir: string) => Deno.writeTextFileSync(`${dir}/result.json`, '{"st')],
      ["a folder without its result", (dir: string) => Deno.removeSync(`${dir}/result.json`)],
    ] as const
  ) {
    await step(`a damaged entry (${name}) is moved aside and redone once`, async () => {
      const seedArgs = [...TINY, "--seed", "7", "--json"];
      const trained = await run("train", seedArgs);
      assert.equal(trained.code, 0, trained.stderr);
      const dir = JSON.parse(trained.stdout).dir;
      damage(dir);
      const redone = await run("train", seedArgs);
      assert.equal(redone.code, 0, redone.stderr);
      assert.match(redone.stderr, /moved to .*the run is redone/);
      assert.match(redone.stderr, /1 trained, 0 reused, 0 failed/);
      const again = await run("train", seedArgs);
      assert.doesNotMatch(again.stderr, /trained/, "redone once, then reused");
      Deno.removeSync(dir, { recursive: true });
    });
  }

  await step("two processes on one spec train it once", async () => {
    const args = [...TINY, "--seed", "11"];
    const both = await Promise.all([run("train", args), run("train", args)]);
    for (const outcome of both) assert.equal(outcome.code, 0, outcome.stderr);
    const trained = both.filter((outcome) => /1 trained/.test(outcome.stderr)).length;
    assert.equal(trained, 1, both.map((outcome) => outcome.stderr).join("\n"));
  });

  // SIGKILL at random points, seeded so that a failure can be replayed.
  const seed = Number(Deno.env.get("FAULTS_SEED") ?? Date.now() % 100_000);
  const rng = createRng(seed);
  console.log(`fault injection: random kill points from FAULTS_SEED=${seed}`);
  for (let round = 0; round < 3; round++) {
    const delay = Math.round(300 + rng.next() * 2500);
    await step(
      `SIGKILL of the parent after ${delay} ms leaves no worker and no block`,
      async () => {
        const child = command("train", [...LONG, "--seed", String(20 + round)]).spawn();
        await sleep(delay);
        child.kill("SIGKILL");
        await child.output();
        assert.ok(await waitFor(() => ourWorkers().length === 0, 5000), "the worker died too");
        const rerun = await run("train", [...TINY, "--seed", String(20 + round)]);
        assert.equal(rerun.code, 0, rerun.stderr);
      },
    );
  }
  await step(
    "a worker dies when its stdin closes, even mid-training with its stdout read",
    async () => {
      // What a killed parent leaves: stdin closed. Reading stdout keeps EPIPE from killing it.
      const config = JSON.parse(Deno.readTextFileSync(`${firstDir}/spec.json`)).config;
      config.train.maxSteps = 400;
      config.train.evalInterval = 400;
      const worker = new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", `${root}lib/runs/worker.ts`],
        env: {
          IMAGINATION_STORE: runsDir,
          IMAGINATION_KIND_MODULES: new URL("./run_kinds.ts", import.meta.url).href,
        },
        stdin: "piped",
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const writer = worker.stdin.getWriter();
      await writer.write(
        new TextEncoder().encode(
          `${JSON.stringify({ kind: "gol", config, seed: 40, scale: "quick" })}\n`,
        ),
      );
      const reader = worker.stdout.getReader();
      const first = await reader.read();
      assert.match(new TextDecoder().decode(first.value), /progress/, "it is training");
      const draining = (async () => {
        while (!(await reader.read()).done) { /* keep the pipe open and empty */ }
      })();
      await writer.close();
      const status = await Promise.race([worker.status, sleep(5000).then(() => null)]);
      if (!status) worker.kill("SIGKILL");
      await draining;
      assert.equal(status?.signal, "SIGKILL", "it killed itself within 5 s");
    },
  );
  await step("SIGKILL of the worker is one line, and the rerun trains it", async () => {
    const child = command("train", [...LONG, "--seed", "30"]).spawn();
    assert.ok(await waitFor(() => ourWorkers().length === 1, 10_000), "a worker started");
    await sleep(Math.round(rng.next() * 1500));
    Deno.kill(ourWorkers()[0], "SIGKILL");
    const output = await child.output();
    assertOneLine({
      code: output.code,
      stdout: "",
      stderr: new TextDecoder().decode(output.stderr),
    }, /1 of 1 runs failed/);
    assert.match(new TextDecoder().decode(output.stderr), /worker killed by SIGKILL; rerun/);
    const rerun = await run("train", [...TINY, "--seed", "30"]);
    assert.equal(rerun.code, 0, rerun.stderr);
  });
  await step("SIGTERM stops a sweep cleanly and the rerun resumes", async () => {
    const child = command("train", [...LONG, "--seed", "31"]).spawn();
    assert.ok(await waitFor(() => ourWorkers().length === 1, 10_000), "a worker started");
    child.kill("SIGTERM");
    const output = await child.output();
    assert.equal(output.code, 143);
    assert.match(new TextDecoder().decode(output.stderr), /error: interrupted by SIGTERM/);
    assert.ok(await waitFor(() => ourWorkers().length === 0, 3000), "its worker stopped");
    const rerun = await run("train", [...TINY, "--seed", "31"]);
    assert.equal(rerun.code, 0, rerun.stderr);
  });
  await step("no finished run was lost or changed", () => {
    assert.equal(Deno.readTextFileSync(`${firstDir}/result.json`), firstResult);
    assert.ok(entries().includes(hash));
    assert.equal(
      [...Deno.readDirSync(runsDir)].filter((e) => e.name.includes(".tmp-")).length,
      0,
      "no temporary folder is left once its writer is gone and the store is cleaned",
    );
    return Promise.resolve();
  });
  console.log(`fault injection: ${cases} cases`);
});
