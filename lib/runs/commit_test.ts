import assert from "node:assert/strict";
import { entryCommitter } from "./commit.ts";
import { RunStore } from "./store.ts";

async function git(cwd: string, ...args: string[]): Promise<string> {
  const output = await new Deno.Command("git", { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout);
}

Deno.test("each landed entry is committed alone, and a failed commit names the entry", async () => {
  const repo = Deno.makeTempDirSync();
  await git(repo, "init", "-q");
  await git(repo, "config", "user.email", "test@example.org");
  await git(repo, "config", "user.name", "test");
  Deno.writeTextFileSync(`${repo}/staged.txt`, "not evidence");
  await git(repo, "add", "staged.txt");
  const store = new RunStore(`${repo}/evidence`);
  const commit = entryCommitter({ cwd: repo });
  const runs = await Promise.all(
    [1, 2].map((seed) => store.write({ kind: "echo", config: {}, seed, scale: "test" }, { seed })),
  );
  await Promise.all(runs.map(commit));
  const log = (await git(repo, "log", "--format=%s")).trim().split("\n");
  assert.equal(log.length, 2);
  for (const line of log) {
    assert.match(line, /^evidence: test echo run [0-9a-f]{16} \(seed [12]\) landed$/);
  }
  // Only the entries were committed: what was staged before stays staged.
  assert.match(await git(repo, "status", "--porcelain"), /^A {2}staged\.txt$/m);
  const files = (await git(repo, "ls-files")).trim().split("\n");
  assert.equal(files.filter((f) => f.startsWith("evidence/")).length, 4);
  // Outside a git work tree the commit fails with the entry named.
  const outside = entryCommitter({ cwd: Deno.makeTempDirSync() });
  await assert.rejects(() => outside(runs[0]), new RegExp(`git add of ${runs[0].dir} failed`));
});
