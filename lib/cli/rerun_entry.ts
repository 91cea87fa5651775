/**
 * `deno task evidence:rerun DIR [DIR...]`: reruns recorded entries (`evidence/faithful/<hash>`,
 * any kind) in full with this checkout's code on the active backend, and compares each result
 * (less timings) and file with the recorded one. CI reruns one non-Game-of-Life entry a day;
 * this reruns the ones a reviewer names, Game of Life included (several minutes each at
 * faithful scale). Exit 1 when any entry differs.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/backend.ts";
import { rerunWhole } from "../claims/evidence.ts";
import { executorFor } from "../runs/kinds.ts";
import type { RunSpec } from "../runs/store.ts";
import { runMain, UsageError } from "./main.ts";
import { registerExperimentKinds } from "./run_kinds.ts";

const HELP = `usage: deno task evidence:rerun DIR [DIR...]

Reruns each recorded entry (a folder with spec.json and result.json) in full and compares its
result, less timings, and its files with the recorded ones. Exit 1 if any differs.`;

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(Deno.readTextFileSync(path));
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message.split("\n")[0]}`);
  }
}

async function main(): Promise<void> {
  const { positionals } = parseArgs({ args: Deno.args, allowPositionals: true, options: {} });
  if (positionals.length === 0) throw new UsageError("name at least one entry folder");
  registerExperimentKinds();
  const backend = await initBackend();
  console.log(`backend ${backend.name}`);
  let differing = 0;
  for (const dir of positionals) {
    const spec = readJson(`${dir}/spec.json`) as unknown as RunSpec;
    const result = readJson(`${dir}/result.json`);
    const recordedBackend = (result.backend as { name?: string } | undefined)?.name;
    if (recordedBackend && recordedBackend !== backend.name) {
      throw new Error(`${dir}: recorded on ${recordedBackend}, this process runs ${backend.name}`);
    }
    const execute = await executorFor(spec.kind);
    let lastPhase = "";
    const problems = await rerunWhole(dir, spec, result, (s) =>
      execute(s, (progress) => {
        if (progress.phase !== lastPhase) console.error(`${dir}: ${lastPhase = progress.phase}`);
      }));
    differing += problems.length > 0 ? 1 : 0;
    if (problems.length === 0) console.log(`${dir}: reproduced (result and files equal)`);
    for (const problem of problems) console.log(`${dir}: ${problem}`);
  }
  if (differing > 0) throw new Error(`${differing} of ${positionals.length} entries differ`);
}

await runMain(main, { help: HELP });
