import assert from "node:assert/strict";

const script = new URL("./metric.ts", import.meta.url).pathname;
const fixtures = new URL("../../fixtures/", import.meta.url).pathname;
const sample = `${fixtures}metric_sample.json`;

/** The environment of this test without INIT_CWD (`deno task test` sets it; `deno task` keeps it). */
function environment(extra: Record<string, string> = {}): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.INIT_CWD;
  delete env.IMAGINATION_DEBUG;
  return { ...env, ...extra };
}

async function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: options.cwd,
    env: environment(options.env),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

/** Runs the CLI on the sample, or on a temporary file holding `input`. */
async function runMetric(args: string[], input?: string, env?: Record<string, string>) {
  let file = sample;
  if (input !== undefined) {
    file = await Deno.makeTempFile({ suffix: ".json" });
    await Deno.writeTextFile(file, input);
  }
  const result = await run(["run", "--allow-read", "--allow-env", script, file, ...args], { env });
  if (input !== undefined) await Deno.remove(file);
  return { ...result, file };
}

Deno.test("metric CLI scores the shipped sample (figures 3 and 4: mean 0.625)", async () => {
  const text = await runMetric([]);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^0\.6250 \(match, 2 sequences/);
  const json = await runMetric(["--json"]);
  assert.equal(JSON.parse(json.stdout).score, 0.625);
  for (const variant of ["double-sum", "mcc"]) {
    const other = await runMetric(["--json", "--variant", variant]);
    assert.equal(other.code, 0, other.stderr);
    assert.equal(JSON.parse(other.stdout).variant, variant);
  }
});

Deno.test("metric CLI reads a relative path from the user's folder", async () => {
  // `deno task` runs in the project root; the user ran it in fixtures/.
  const task = await run(["task", "metric", "metric_sample.json"], { cwd: fixtures });
  assert.equal(task.code, 0, task.stderr);
  assert.match(task.stdout, /^0\.6250 \(match, 2 sequences, metric_sample\.json\)/);
  const direct = await run(
    ["run", "--allow-read", "--allow-env", script, "metric_sample.json"],
    { cwd: fixtures },
  );
  assert.equal(direct.code, 0, direct.stderr);
});

Deno.test("metric CLI --help prints the usage and exits 0", async () => {
  const result = await run(["run", "--allow-read", "--allow-env", script, "--help"]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^usage: deno task metric FILE .*--variant match\|double-sum\|mcc/);
});

Deno.test("metric CLI prints a stack trace only with IMAGINATION_DEBUG=1", async () => {
  const quiet = await runMetric([], "{gol:");
  assert.equal(quiet.stderr.trim().split("\n").length, 1, quiet.stderr);
  const debug = await runMetric([], "{gol:", { IMAGINATION_DEBUG: "1" });
  assert.notEqual(debug.code, 0);
  assert.match(debug.stderr, /not JSON[^]*\n\s+at /);
});

const board = (v: number) => [[v, 0], [0, v]];

const good = {
  gol: [[board(0), board(1), board(0)]],
  generated: [[board(0), board(1), board(0)]],
  trainedIndices: [0, 2],
};
/** The good input with one generated value written as raw JSON text. */
const withGenerated = (raw: string) =>
  JSON.stringify({ ...good, generated: [[board(0), [[0, "RAW"], [0, 0]], board(0)]] })
    .replace('"RAW"', raw);

for (
  const [name, input, message] of [
    ["not JSON", "{gol:", /not JSON/],
    ["empty", JSON.stringify({ ...good, gol: [], generated: [] }), /"gol" is empty/],
    [
      "missing field",
      JSON.stringify({ gol: good.gol, generated: good.generated }),
      /missing field "trainedIndices"/,
    ],
    [
      "shape mismatch",
      JSON.stringify({ ...good, generated: [[board(0), [[1, 0, 1], [0, 0, 1]], board(0)]] }),
      /shape mismatch/,
    ],
    [
      "non-binary gol",
      JSON.stringify({ ...good, gol: [[board(0), board(0.5), board(0)]] }),
      /non-binary gol value 0.5/,
    ],
    [
      "index out of range",
      JSON.stringify({ ...good, trainedIndices: [0, 3] }),
      /trained index 3 out of range/,
    ],
    [
      "generated 5",
      withGenerated("5"),
      /"generated"\[0\]\[1\]\[0\]\[1\] is 5: expected a probability/,
    ],
    ["generated -7", withGenerated("-7"), /"generated"\[0\]\[1\]\[0\]\[1\] is -7: expected/],
    ["overflow", withGenerated("1e400"), /"generated"\[0\]\[1\]\[0\]\[1\] overflows/],
    [
      "overflow in gol",
      withGenerated("0").replace('"gol":[[[[0', '"gol":[[[[-1e400'),
      /"gol"\[0\]\[0\]\[0\]\[0\] overflows/,
    ],
  ] as const
) {
  Deno.test(`metric CLI: ${name} gives one clear line naming the file and a non-zero exit`, async () => {
    const result = await runMetric([], input);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, message);
    assert.ok(result.stderr.includes(result.file), result.stderr);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  });
}

Deno.test("metric CLI: bad flags and a missing file give one clear line and a non-zero exit", async () => {
  for (
    const [args, message] of [
      [[sample, "--variant", "foo"], /--variant foo: expected one of match, double-sum, mcc/],
      [[sample, "--bogus"], /Unknown option '--bogus'.*usage: deno task metric/],
      [[sample, sample], /expected one input file, got 2/],
      [["nope.json"], /nope\.json: cannot read/],
    ] as const
  ) {
    const result = await run(["run", "--allow-read", "--allow-env", script, ...args]);
    assert.notEqual(result.code, 0, args.join(" "));
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  }
});
