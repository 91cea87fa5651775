/**
 * Recording evidence as it lands: each stored entry's folder committed to git on its own, so a
 * sweep that runs for days loses nothing when its machine goes away.
 *
 * @module
 */
import type { StoredRun } from "./store.ts";

/**
 * A `RunnerOptions.onStored` callback that commits each entry's folder (`git add` then
 * `git commit -- FOLDER`, so nothing else staged is committed with it), one commit at a time,
 * in the git work tree `cwd` (default: the current folder). A failed commit throws with git's
 * last line; it does not block the next entry's commit.
 *
 * @example
 * ```ts
 * await ensureRuns(specs, { store, onStored: entryCommitter() });
 * ```
 */
export function entryCommitter(
  options: { cwd?: string } = {},
): (run: StoredRun<unknown>) => Promise<void> {
  let previous = Promise.resolve();
  return (run) => {
    const git = async (...args: string[]) => {
      const output = await new Deno.Command("git", {
        args,
        cwd: options.cwd,
        stdout: "null",
        stderr: "piped",
      }).output();
      if (!output.success) {
        const why = new TextDecoder().decode(output.stderr).trim().split("\n").at(-1);
        throw new Error(`git ${args[0]} of ${run.dir} failed: ${why}`);
      }
    };
    const { scale, kind, seed } = run.spec;
    const name = run.dir.split("/").at(-1);
    const next = previous.then(async () => {
      await git("add", "--", run.dir);
      await git(
        "commit",
        "-q",
        "-m",
        `evidence: ${scale} ${kind} run ${name} (seed ${seed}) landed`,
        "--",
        run.dir,
      );
    });
    previous = next.catch(() => {});
    return next;
  };
}
