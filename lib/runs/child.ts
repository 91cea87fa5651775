/**
 * One run in a child process (worker.ts), as both runners use it: the local pool and the
 * queue worker. The child opens its parent's store, registers its parent's run kinds, trains,
 * stores the result, and reports progress as JSON lines. It runs in its own process group
 * (where `setsid` exists) and dies with its parent.
 *
 * @module
 */
import { registeredKindModules, type RunProgress } from "./kinds.ts";
import type { RunSpec, Store } from "./store.ts";

const SETSID = (() => {
  try {
    return Deno.statSync("/usr/bin/setsid").isFile ? "/usr/bin/setsid" : null;
  } catch {
    return null;
  }
})();

/** Options of {@link runInChild}. */
export interface ChildOptions {
  /** The store the child reads and writes (opened there from its location). */
  store: Store;
  /** The backend it trains on (`auto` to choose). */
  backend: string;
  /** Called with each progress report. */
  onProgress?: (progress: RunProgress) => void;
  /** Called once the child runs, so a caller can stop it (see {@link stopChild}). */
  onStart?: (child: Deno.ChildProcess) => void;
}

/**
 * Stops a child started by {@link runInChild}, with its process group.
 *
 * @example
 * ```ts
 * stopChild(child, "SIGTERM");
 * ```
 */
export function stopChild(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    Deno.kill(SETSID ? -child.pid : child.pid, signal);
  } catch { /* already gone */ }
}

/**
 * Trains and stores one run in a child process; resolves to null when it did, else to the
 * failure in one line.
 *
 * @example
 * ```ts
 * const failure = await runInChild(spec, { store, backend: "auto" });
 * ```
 */
export async function runInChild(spec: RunSpec, options: ChildOptions): Promise<string | null> {
  const env = {
    IMAGINATION_STORE: options.store.location,
    IMAGINATION_BACKEND: options.backend,
    IMAGINATION_KIND_MODULES: registeredKindModules(),
  };
  const args = ["run", "--allow-all", new URL("./worker.ts", import.meta.url).pathname];
  const child = new Deno.Command(SETSID ?? Deno.execPath(), {
    args: SETSID ? [Deno.execPath(), ...args] : args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env,
  }).spawn();
  options.onStart?.(child);
  // stdin stays open while this process lives: the worker dies when it closes.
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(`${JSON.stringify(spec)}\n`));
  const stderrText = new Response(child.stderr).text();
  let buffered = "", error = "";
  for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      try {
        const message = JSON.parse(line);
        if (message.progress) options.onProgress?.(message.progress);
        if (typeof message.error === "string") error = message.error;
      } catch { /* not a progress line */ }
    }
  }
  const status = await child.status;
  await writer.close().catch(() => {});
  if (status.success) return null;
  if (error) return error;
  if (status.signal) return `worker killed by ${status.signal}; rerun to retry`;
  const lastLine = (await stderrText).trim().split("\n").at(-1) ?? "";
  return `worker exited ${status.code}${lastLine ? `: ${lastLine}` : ""}`;
}
