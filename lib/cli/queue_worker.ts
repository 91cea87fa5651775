/**
 * `deno task worker`: a queue worker (lib/runs/queue.ts) on this machine, training the
 * sweep's runs into the run store until SIGINT or SIGTERM.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { importKinds } from "../runs/kinds.ts";
import { workersFromEnv } from "../runs/pool.ts";
import { startQueueWorker, sweepProgress } from "../runs/queue.ts";
import { integerFlag } from "./args.ts";
import { storeFromEnvironment } from "./context.ts";
import { runMain } from "./main.ts";

const HELP =
  `usage: deno task worker [--concurrency N] [--redis URL] [--queue NAME] [--lock-seconds S]
                        [--backend NAME] [--exit-when-done]

Trains the runs that deno task sweep put on the queue (BullMQ on Redis at --redis, else
IMAGINATION_REDIS, else redis://127.0.0.1:6379) into the run store (IMAGINATION_STORE: a
folder or s3://bucket/prefix with AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY), N at a time, each in its own process. Start one on every machine that
shares the queue and the store. A run found in the store is not trained again. Runs until
SIGINT or SIGTERM (or, with --exit-when-done, until the queue has no run waiting or running);
the runs it had started then go back to the queue, as they do when a worker dies.

  --concurrency N   runs at a time (default IMAGINATION_WORKERS, else the number of cores)
  --lock-seconds S  a dead worker's runs are taken up by another after about S s (default 30)
  --backend NAME    the backend runs train on (default IMAGINATION_BACKEND, else auto)
  --exit-when-done  exit 0 once no run is waiting or running (for batch launchers: Slurm job
                    arrays, Kubernetes Jobs)

IMAGINATION_KIND_MODULES (module URLs, space-separated, each exporting KINDS) adds run kinds to
the experiments' own.`;

await runMain(async () => {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      concurrency: { type: "string" },
      redis: { type: "string" },
      queue: { type: "string" },
      "lock-seconds": { type: "string", default: "30" },
      backend: { type: "string" },
      "exit-when-done": { type: "boolean", default: false },
    },
  });
  const concurrency = values.concurrency === undefined
    ? workersFromEnv()
    : integerFlag("concurrency", values.concurrency);
  const lockMs = integerFlag("lock-seconds", values["lock-seconds"]) * 1000;
  const store = storeFromEnvironment();
  await importKinds(Deno.env.get("IMAGINATION_KIND_MODULES") ?? "");
  const queue = {
    redis: values.redis ?? Deno.env.get("IMAGINATION_REDIS") ?? "redis://127.0.0.1:6379",
    name: values.queue,
  };
  const worker = startQueueWorker({
    ...queue,
    store,
    concurrency,
    lockMs,
    backend: values.backend ?? Deno.env.get("IMAGINATION_BACKEND") ?? "auto",
    onEvent: (line) => console.error(`[worker ${Deno.pid}] ${line}`),
  });
  console.error(
    `[worker ${Deno.pid}] ${worker.name}: ${concurrency} at a time into ${store.location}`,
  );
  const signal = await new Promise<Deno.Signal | null>((resolve) => {
    for (const name of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(name, () => resolve(name));
    }
    if (values["exit-when-done"]) {
      const poll = async () => {
        const { waiting, running } = await sweepProgress(queue);
        if (waiting + running === 0) resolve(null);
        else setTimeout(poll, 5000);
      };
      setTimeout(poll, 5000);
    }
  });
  await worker.close();
  if (signal === null) console.error(`[worker ${Deno.pid}] the queue is done`);
  return signal === null ? 0 : signal === "SIGINT" ? 130 : 143;
}, { help: HELP });
