import assert from "node:assert/strict";

const script = new URL("./metric.ts", import.meta.url).pathname;
const sample = new URL("../../fixtures/metric_sample.json", import.meta.url).pathname;

async function runMetric(args: string[], input?: string) {
  let file = sample;
  if (input !== undefined) {
    file = await Deno.makeTempFile({ suffix: ".json" });
    await Deno.writeTextFile(file, input);
  }
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", script, file, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (input !== undefined) await Deno.remove(file);
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

Deno.test("metric CLI scores the shipped sample (figures 3 and 4: mean 0.625)", async () => {
  const text = await runMetric([]);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^0\.6250 \(match, 2 sequences/);
  const json = await runMetric(["--json"]);
  assert.equal(JSON.parse(json.stdout).score, 0.625);
  const mcc = await runMetric(["--json", "--variant", "mcc"]);
  assert.equal(JSON.parse(mcc.stdout).variant, "mcc");
});

const board = (v: number) => [[v, 0], [0, v]];
const good = {
  gol: [[board(0), board(1), board(0)]],
  generated: [[board(0), board(1), board(0)]],
  trainedIndices: [0, 2],
};

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
  ] as const
) {
  Deno.test(`metric CLI: ${name} gives one clear line and a non-zero exit`, async () => {
    const result = await runMetric([], input);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
  });
}
