/**
 * One run in its own process: reads a RunSpec (JSON) on stdin, trains it, stores it, and
 * reports progress as JSON lines on stdout. Started by the worker pool. Checkpoints go to
 * `<store root>/.checkpoints/<hash>/`, outside the entry, and are removed once it is stored.
 *
 * @module
 */
import { initBackend } from "../backend/backend.ts";
import { executorFor } from "./kinds.ts";
import { type RunSpec, RunStore, specHash } from "./store.ts";

try {
  const spec = JSON.parse(await new Response(Deno.stdin.readable).text()) as RunSpec;
  const store = new RunStore();
  if (!store.read(spec)) {
    await initBackend();
    const execute = await executorFor(spec.kind);
    const checkpointDir = `${store.root}/.checkpoints/${specHash(spec)}`;
    const output = await execute(
      spec,
      (progress) => console.log(JSON.stringify({ progress })),
      { checkpointDir },
    );
    store.write(spec, output.result, output.files);
    try {
      Deno.removeSync(checkpointDir, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  console.log(JSON.stringify({ done: store.dirOf(spec) }));
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  Deno.exit(1);
}
