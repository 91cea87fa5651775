/**
 * A Game of Life run in its own process for the checkpoint test: reads a RunSpec (JSON) on
 * stdin, trains it with checkpoints, prints progress as JSON lines, and writes result.json and
 * the weight files to `--out`. With `--kill-at PHASE:STEP` it sends itself SIGKILL when it
 * reports that step, as a machine going down would.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/backend.ts";
import type { RunSpec } from "../runs/store.ts";
import { executeGolRun } from "./gol_runs.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    out: { type: "string" },
    checkpoint: { type: "string" },
    interval: { type: "string" },
    "kill-at": { type: "string" },
  },
});
const spec = JSON.parse(await new Response(Deno.stdin.readable).text()) as RunSpec;
await initBackend("wasm");
const output = await executeGolRun(spec, (progress) => {
  console.log(JSON.stringify(progress));
  if (values["kill-at"] === `${progress.phase}:${progress.step}`) Deno.kill(Deno.pid, "SIGKILL");
}, { checkpointDir: values.checkpoint, checkpointInterval: Number(values.interval) });
const out = values.out as string;
Deno.mkdirSync(out, { recursive: true });
for (const [name, content] of Object.entries(output.files)) {
  if (typeof content === "string") Deno.writeTextFileSync(`${out}/${name}`, content);
  else Deno.writeFileSync(`${out}/${name}`, content);
}
Deno.writeTextFileSync(`${out}/result.json`, JSON.stringify(output.result));
