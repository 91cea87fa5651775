/**
 * One run in its own process (started by child.ts, with its parent's store location and run
 * kinds in the environment): reads a RunSpec (one JSON line) on stdin, trains it, stores it,
 * and reports progress as JSON lines on stdout; a failure is one `{"error": ...}` line and
 * exit code 1. Started by the worker pool, which keeps stdin open while it lives: when stdin
 * ends the worker kills itself, so no worker outlives its parent. Checkpoints go to
 * `<store root>/.checkpoints/<hash>/`, outside the entry, and are removed once it is stored.
 *
 * @module
 */
import { initBackend } from "../backend/backend.ts";
import { executorFor, importKinds } from "./kinds.ts";
import { openStore } from "./open.ts";
import { type RunSpec, specHash } from "./store.ts";

const watchdog = new Worker(new URL("./watchdog.ts", import.meta.url), { type: "module" });
const specLine = await new Promise<string>((resolve) => {
  watchdog.onmessage = (event) => resolve(event.data);
});
try {
  const spec = JSON.parse(specLine) as RunSpec;
  // The parent's store and run kinds (see child.ts).
  const store = openStore(Deno.env.get("IMAGINATION_STORE") ?? "runs");
  await importKinds(Deno.env.get("IMAGINATION_KIND_MODULES") ?? "");
  let stored = await store.read(spec);
  if (!stored) {
    await initBackend();
    const execute = await executorFor(spec.kind);
    const checkpointDir = `${store.localDir}/.checkpoints/${specHash(spec)}`;
    const output = await execute(
      spec,
      (progress) => console.log(JSON.stringify({ progress })),
      { checkpointDir },
    );
    stored = await store.write(spec, output.result, output.files);
    try {
      Deno.removeSync(checkpointDir, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  console.log(JSON.stringify({ done: stored.dir }));
  Deno.exit(0);
} catch (error) {
  if (Deno.env.get("IMAGINATION_DEBUG") === "1") console.error(error);
  console.log(JSON.stringify({ error: (error as Error).message }));
  Deno.exit(1);
}
