import assert from "node:assert/strict";
import { initBackend } from "../backend/backend.ts";
import { TINY_LSTM_CONFIG } from "../lstm/tiny_test_data.ts";
import { executeLstmRun } from "../lstm/train.ts";
import { RunStore } from "../runs/store.ts";

const root = new URL("../../", import.meta.url).pathname;

async function rerun(...dirs: string[]): Promise<{ code: number; out: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "lib/cli/rerun_entry.ts", ...dirs],
    cwd: root,
    env: { IMAGINATION_BACKEND: "wasm", NO_COLOR: "1" },
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, out: decode(output.stdout) + decode(output.stderr) };
}

Deno.test("evidence:rerun reproduces an entry, and names the field of a hand-edited one", async () => {
  await initBackend("wasm");
  const store = new RunStore(Deno.makeTempDirSync());
  const spec = { kind: "lstm", config: TINY_LSTM_CONFIG, seed: 4, scale: "test" };
  const output = await executeLstmRun(spec, () => {});
  const { dir } = await store.write(spec, output.result, output.files);

  const passed = await rerun(dir);
  assert.equal(passed.code, 0, passed.out);
  assert.match(passed.out, /reproduced \(result and files equal\)/);

  const result = JSON.parse(Deno.readTextFileSync(`${dir}/result.json`));
  result.countMse *= 1 + 1e-9;
  Deno.writeTextFileSync(`${dir}/result.json`, JSON.stringify(result));
  const failed = await rerun(dir);
  assert.equal(failed.code, 1);
  assert.match(failed.out, /result\.countMse differs from the recorded result/);
  assert.match(failed.out, /error: 1 of 1 entries differ/);

  const missing = await rerun(`${dir}-not-there`);
  assert.equal(missing.code, 2);
  assert.match(missing.out, /error: .*spec\.json: No such file/);
  Deno.removeSync(store.root, { recursive: true });
});
