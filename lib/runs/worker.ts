/**
 * One run in its own process: reads a RunSpec (JSON) on stdin, trains it, stores it, and
 * reports progress as JSON lines on stdout. Started by the worker pool.
 *
 * @module
 */
import { initBackend } from "../backend/backend.ts";
import { executorFor } from "./kinds.ts";
import { type RunSpec, RunStore } from "./store.ts";

try {
  const spec = JSON.parse(await new Response(Deno.stdin.readable).text()) as RunSpec;
  const store = new RunStore();
  if (!store.read(spec)) {
    await initBackend();
    const execute = await executorFor(spec.kind);
    const output = await execute(spec, (progress) => console.log(JSON.stringify({ progress })));
    store.write(spec, output.result, output.files);
  }
  console.log(JSON.stringify({ done: store.dirOf(spec) }));
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  Deno.exit(1);
}
