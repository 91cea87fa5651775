/**
 * `deno task sweep`: puts the runs the store lacks on the queue for queue workers on any
 * machine (see lib/runs/queue.ts); with `--wait`, follows the sweep until it is done.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { claimById, CLAIMS } from "../claims/registry.ts";
import { enqueueSpecs, progressText, QueueRunner, sweepProgress } from "../runs/queue.ts";
import { completionOrder } from "../claims/schedule.ts";
import { type RunSpec, specHash, type Store } from "../runs/store.ts";
import { integerFlag, userPath } from "./args.ts";
import { contextFromEnvironment } from "./context.ts";
import { runMain, UsageError } from "./main.ts";

const HELP =
  `usage: deno task sweep [--scale quick|faithful|paper] [--seed-base N] [--claim ID]... [--specs FILE]
                       [--redis URL] [--queue NAME] [--attempts N] [--wait] [--timeout S] [--status]

Puts on the queue (BullMQ on Redis at --redis, else IMAGINATION_REDIS, else
redis://127.0.0.1:6379) the runs that the run store (IMAGINATION_STORE: a folder or
s3://bucket/prefix) lacks: every claim's runs at a scale and seed base, only those of the claims
named with --claim, or the RunSpecs of a JSON file (--specs). A run is queued once however often
the sweep is run; a failed run is queued again. Queue workers (deno task worker) on any machine
train them into the store, where deno task reproduce and the claim tests find them.

  --attempts N  tries per run before it fails (default 3)
  --wait        follow the sweep (done, running, failed, ETA) until every run is stored
  --timeout S   with --wait, give up after S seconds (default 7 days)
  --status      print the queue's progress once and queue nothing`;

/** Every claim's specs, the missing ones first in completion order, then the rest. */
async function claimOrder(claims: RunSpec[][], store: Store): Promise<RunSpec[]> {
  const all = claims.flat();
  const stored = new Set<string>();
  for (const spec of all) if (await store.read(spec) !== null) stored.add(specHash(spec));
  return [...completionOrder(claims, (spec) => stored.has(specHash(spec))), ...all];
}

/** The RunSpecs of a JSON file (an array of specs). */
function readSpecs(path: string): RunSpec[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Deno.readTextFileSync(path));
  } catch (error) {
    throw new UsageError(`--specs ${path}: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    throw new UsageError(`--specs ${path}: expected a JSON array of specs`);
  }
  return parsed;
}

await runMain(async () => {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      scale: { type: "string" },
      "seed-base": { type: "string" },
      claim: { type: "string", multiple: true, default: [] },
      specs: { type: "string" },
      redis: { type: "string" },
      queue: { type: "string" },
      attempts: { type: "string", default: "3" },
      wait: { type: "boolean", default: false },
      timeout: { type: "string" },
      status: { type: "boolean", default: false },
    },
  });
  const queue = {
    redis: values.redis ?? Deno.env.get("IMAGINATION_REDIS") ?? "redis://127.0.0.1:6379",
    name: values.queue,
  };
  if (values.status) {
    console.log(progressText(await sweepProgress(queue)));
    return;
  }
  if (values.specs && values.claim.length > 0) {
    throw new UsageError("--specs and --claim: expected one of them");
  }
  const attempts = integerFlag("attempts", values.attempts, { min: 1, max: 100 });
  const timeoutMs = values.timeout === undefined
    ? undefined
    : integerFlag("timeout", values.timeout) * 1000;
  const context = contextFromEnvironment({ scale: values.scale, seedBase: values["seed-base"] });
  // Claims' runs are queued claim by claim, the one with the least left first (the queue is
  // first in, first out), so verdicts land as early as the runs allow.
  const specs = values.specs ? readSpecs(userPath(values.specs)) : await claimOrder(
    await Promise.all(
      (values.claim.length ? values.claim.map(claimById) : CLAIMS).map((c) => c.specs(context)),
    ),
    context.store,
  );
  const counts = await enqueueSpecs(specs, { ...queue, store: context.store, attempts });
  console.log(
    `${counts.total} runs: ${counts.stored} stored in ${context.store.location}, ` +
      `${counts.queued} queued, ${counts.alreadyQueued} already on the queue`,
  );
  if (!values.wait) return;
  const runs = await new QueueRunner({ ...queue, attempts, timeoutMs }).ensure(specs, {
    store: context.store,
    label: "sweep",
  });
  console.log(
    `${new Set(runs.map((run) => run.dir)).size} runs stored in ${context.store.location}`,
  );
}, { help: HELP });
