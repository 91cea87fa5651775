import assert from "node:assert/strict";
import { initBackend } from "../backend/backend.ts";
import { QUICK_CONFIG, type RunConfig } from "../models/config.ts";
import { type RunSpec, RunStore } from "../runs/store.ts";
import { executeChessRun } from "../chess/study.ts";
import { TINY_LSTM_CONFIG } from "../lstm/tiny_test_data.ts";
import { executeLstmRun } from "../lstm/train.ts";
import { executeGolRun } from "../train/gol_runs.ts";
import { verifyEvidence } from "./evidence.ts";
import { DEFAULT_SEED_BASE } from "./groups.ts";
import { GOL_CLAIMS } from "./gol_claims.ts";
import { headline } from "../report/report.ts";
import { CLAIMS } from "./registry.ts";

const EVIDENCE = new URL("../../evidence/faithful", import.meta.url).pathname;

Deno.test("the recorded faithful evidence verifies: hashes, recomputed scores, verdicts, today's retrained prefix", async () => {
  // The backend the sweep records on: auto picks wasm-xnnpack where libxnnpack0 is installed
  // (.ci/run installs it), and entries from another backend are listed as not recomputed.
  await initBackend();
  // CI's budget: scores of 6 entries a day (about 50 s at faithful scale), rotating, and one
  // entry's first 500 steps retrained (about a minute).
  // and one entry of another kind (Table 4's LSTM: seconds; chess: about a minute) rerun in full.
  const report = await verifyEvidence(EVIDENCE, {
    seedBase: DEFAULT_SEED_BASE,
    claims: CLAIMS,
    recomputeLimit: 6,
    rerun: (spec) =>
      spec.kind === "lstm"
        ? executeLstmRun(spec, () => {})
        : spec.kind === "chess"
        ? executeChessRun(spec, () => {})
        : Promise.reject(new Error(`no executor for kind ${spec.kind}`)),
  });
  console.log(`${report.entries.length} entries in evidence/faithful`);
  for (const line of report.notRecomputed) console.log(`  not recomputed: ${line}`);
  console.log(
    "retrain" in report && "entry" in report.retrain
      ? `retrained ${report.retrain.entry} for ${report.retrain.steps} steps: ${report.retrain.losses} losses and ${report.retrain.traced} trace points equal`
      : `retrain skipped: ${(report.retrain as { skipped: string }).skipped}`,
  );
  console.log(
    "entry" in report.rerun
      ? `rerun in full: ${report.rerun.entry} (${report.rerun.kind}), result and files equal`
      : `rerun skipped: ${report.rerun.skipped}`,
  );
  if (report.outcomes.length > 0) console.log(`re-derived verdicts: ${headline(report.outcomes)}`);
  console.log(`${report.incomplete.length} claims not fully recorded yet`);
  assert.deepEqual(report.problems, []);
});

const tiny: RunConfig = {
  model: {
    ...QUICK_CONFIG.model,
    boardSize: 6,
    encodedSize: 4,
    golTimesteps: 2,
    modelTimesteps: 2,
  },
  train: {
    ...QUICK_CONFIG.train,
    maxSteps: 20,
    evalInterval: 10,
    traceInterval: 5,
    trainSequences: 100,
    evalSequences: 24,
    freshDecoderSteps: 5,
    adversarialSteps: 5,
    ceilingSteps: 5,
    batchSize: 8,
  },
};

async function tinyEvidence(): Promise<{ root: string; dir: string; name: string }> {
  const store = new RunStore(Deno.makeTempDirSync());
  const spec: RunSpec = { kind: "gol", config: tiny, seed: 5, scale: "test" };
  const output = await executeGolRun(spec, () => {});
  const stored = await store.write(spec, output.result, output.files);
  return { root: store.root, dir: stored.dir, name: stored.dir.split("/").at(-1) as string };
}

function editJson(path: string, edit: (value: Record<string, unknown>) => void): void {
  const value = JSON.parse(Deno.readTextFileSync(path));
  edit(value);
  Deno.writeTextFileSync(path, JSON.stringify(value, null, 1));
}

Deno.test("the verifier passes a real entry and retrains its prefix bit for bit", async () => {
  await initBackend("wasm");
  const { root, name } = await tinyEvidence();
  const report = await verifyEvidence(root, {
    seedBase: DEFAULT_SEED_BASE,
    claims: GOL_CLAIMS,
    retrainSteps: 20,
  });
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.entries, [name]);
  assert.deepEqual(report.retrain, { entry: name, steps: 20, losses: 2, traced: 4 });
  assert.equal(report.outcomes.length, 0, "no claim has all its runs in a one-run folder");
  assert.equal(report.incomplete.length, GOL_CLAIMS.length);
  const sampled = await verifyEvidence(root, { seedBase: 1, recomputeLimit: 0 });
  assert.deepEqual(sampled.notRecomputed, [`${name}: not in today's sample of 0`]);
  assert.equal("entry" in sampled.retrain && sampled.retrain.entry, name);
});

Deno.test("a hand-edited or corrupted entry fails with the entry named", async () => {
  await initBackend("wasm");
  const { root, dir, name } = await tinyEvidence();
  const cases: [string, (entry: string) => void, RegExp][] = [
    ["a score edited", (e) =>
      editJson(`${e}/result.json`, (r) => {
        (r.regular as { metric: number }).metric += 0.01;
      }), /regular is/],
    ["the fresh decoder's score edited", (e) =>
      editJson(`${e}/result.json`, (r) => {
        (r.fresh as { mcc: number }).mcc = 1;
      }), /fresh is/],
    ["a ceiling readout's score edited", (e) =>
      editJson(`${e}/result.json`, (r) => {
        (r.ceiling as { indexAccuracy: number[] }).indexAccuracy[1] = 1;
      }), /ceiling is/],
    ["a trivial reference edited", (e) =>
      editJson(`${e}/result.json`, (r) => {
        (r.references as { trivial: { copyFinal: number } }).trivial.copyFinal += 0.5;
      }), /references is/],
    ["the inclusion rule flipped", (e) =>
      editJson(`${e}/result.json`, (r) => {
        r.reachedTarget = true;
      }), /reachedTarget is true/],
    ["a recorded loss edited", (e) =>
      editJson(`${e}/result.json`, (r) => {
        (r.lossHistory as { loss: number }[])[0].loss *= 1.0000001;
      }), /loss history differs/],
    ["the spec edited", (e) =>
      editJson(`${e}/spec.json`, (s) => {
        s.seed = 6;
      }), /spec.json hashes to/],
    ["a weight byte flipped", (e) => {
      const bytes = Deno.readFileSync(`${e}/weights.bin`);
      bytes[7] ^= 0x40;
      Deno.writeFileSync(`${e}/weights.bin`, bytes);
    }, /is .*recomputed/],
    ["a stray file", (e) => Deno.writeTextFileSync(`${e}/notes.tmp`, "x"), /expected exactly/],
    ["result.json truncated", (e) => Deno.writeTextFileSync(`${e}/result.json`, "{"), /unreadable/],
  ];
  for (const [what, edit, expected] of cases) {
    const copy = Deno.makeTempDirSync();
    Deno.mkdirSync(`${copy}/${name}`);
    for (const file of Deno.readDirSync(dir)) {
      Deno.copyFileSync(`${dir}/${file.name}`, `${copy}/${name}/${file.name}`);
    }
    edit(`${copy}/${name}`);
    const { problems } = await verifyEvidence(copy, { seedBase: 1, retrainSteps: 10 });
    console.log(`${what}: ${problems[0]?.slice(0, 120)}`);
    assert.ok(problems.length > 0, `${what}: caught`);
    assert.ok(problems.every((p) => p.startsWith(`${name}: `)), `${what}: the entry is named`);
    assert.match(problems.join("\n"), expected, what);
  }
  assert.deepEqual((await verifyEvidence(root, { seedBase: 1, retrainSteps: 10 })).problems, []);
});

Deno.test("an entry of another kind is rerun in full: equal passes, an edited number fails naming it", async () => {
  await initBackend("wasm");
  const store = new RunStore(Deno.makeTempDirSync());
  const spec: RunSpec = { kind: "lstm", config: TINY_LSTM_CONFIG, seed: 3, scale: "test" };
  const output = await executeLstmRun(spec, () => {});
  const stored = await store.write(spec, output.result, output.files);
  const name = stored.dir.split("/").at(-1) as string;
  let reruns = 0;
  const rerun = (spec: RunSpec) => {
    reruns++;
    return executeLstmRun(spec, () => {});
  };
  const passed = await verifyEvidence(store.root, { seedBase: 1, rerun });
  assert.deepEqual(passed.problems, []);
  assert.deepEqual(passed.rerun, { entry: name, kind: "lstm" });
  assert.equal(reruns, 1);
  // Without an executor the entry is only hash-checked, and the report says so.
  const hashOnly = await verifyEvidence(store.root, { seedBase: 1 });
  assert.match((hashOnly.rerun as { skipped: string }).skipped, /hash-checked only/);

  editJson(`${stored.dir}/result.json`, (r) => {
    r.countMse = (r.countMse as number) * (1 + 1e-9);
  });
  const edited = await verifyEvidence(store.root, { seedBase: 1, rerun });
  console.log(edited.problems[0]);
  assert.equal(edited.problems.length, 1);
  assert.match(
    edited.problems[0],
    new RegExp(`^${name}: rerun in full, result\\.countMse differs`),
  );
  Deno.removeSync(store.root, { recursive: true });
});

Deno.test("git keeps faithful entries and ignores what a sweep leaves beside them", async () => {
  const paths = [
    "evidence/faithful/0123456789abcdef/result.json",
    "evidence/faithful/.checkpoints/0123456789abcdef/checkpoint.json",
    "evidence/faithful/.slots/0.lock",
    "evidence/faithful/0123456789abcdef.lock",
    "evidence/faithful/0123456789abcdef.tmp-12-ab12cd34/result.json",
  ];
  const output = await new Deno.Command("git", {
    args: ["check-ignore", "--no-index", ...paths],
    cwd: new URL("../..", import.meta.url).pathname,
  }).output();
  const ignored = new TextDecoder().decode(output.stdout).trim().split("\n");
  assert.deepEqual(ignored, paths.slice(1));
});
