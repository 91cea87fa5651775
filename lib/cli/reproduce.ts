/**
 * `deno task reproduce [--scale quick|faithful|paper] [--seed-base N] [--out reports] [--backend NAME]`:
 * the main job. Builds the context once, measures every claim of the registry (training the
 * missing runs in parallel workers, with progress), prints the headline with every untested
 * reason, and writes reports/REPORT.md with its figures.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/backend.ts";
import { expectationOf } from "../claims/preregistration.ts";
import {
  evaluateClaims,
  type PendingClaim,
  pendingClaims,
  verdictText,
} from "../claims/protocol.ts";
import { CLAIMS } from "../claims/registry.ts";
import { chessReportSection } from "../report/chess_section.ts";
import { lstmReportSection } from "../report/lstm_section.ts";
import { headline, writeReport } from "../report/report.ts";
import { entryCommitter } from "../runs/commit.ts";
import { userPath } from "./args.ts";
import { contextFromEnvironment, defaultRunsDir } from "./context.ts";
import { runMain } from "./main.ts";

const HELP = `usage: deno task reproduce [--scale quick|faithful|paper] [--seed-base N] [--out DIR]
                           [--backend NAME] [--recorded-only]

Measures every claim of the paper at a scale (default: IMAGINATION_SCALE, else quick) and seed
base (default: IMAGINATION_SEED_BASE, else 20240530), training what the run store lacks, prints
"R reproduced, C contradicted, I inconclusive, U untested of N claims" with every untested
reason, and writes DIR/REPORT.md with figures (default reports/, at other scales
reports/SCALE/). Interrupted, it keeps every finished run; run it again to resume.

  --recorded-only  train nothing: measure the claims whose runs are all stored, and list the
                   others as pending with their recorded runs (a sweep in progress)
  --commit         commit each run's store entry to git as it lands (one commit per run, only
                   its folder): for sweeps whose evidence is recorded, such as evidence/faithful/`;

await runMain(async () => {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      scale: { type: "string" },
      "seed-base": { type: "string" },
      out: { type: "string" },
      backend: { type: "string" },
      "recorded-only": { type: "boolean", default: false },
      commit: { type: "boolean", default: false },
    },
  });
  const started = performance.now();
  const context = contextFromEnvironment({ scale: values.scale, seedBase: values["seed-base"] });
  const outDir = values.out !== undefined
    ? userPath(values.out)
    : context.scale === "quick"
    ? "reports"
    : `reports/${context.scale}`;
  // Workers inherit the backend through the environment.
  if (values.backend) Deno.env.set("IMAGINATION_BACKEND", values.backend);
  const backend = await initBackend(values.backend);
  console.error(
    `reproducing at ${context.scale} scale, seed base ${context.seedBase}, backend ${backend.name}`,
  );
  const recordedOnly = values["recorded-only"];
  const outcomes = await evaluateClaims(CLAIMS, context, expectationOf, {
    recordedOnly,
    onStored: values.commit ? entryCommitter() : undefined,
  });
  const pending: PendingClaim[] = recordedOnly ? await pendingClaims(CLAIMS, context) : [];
  // Beside the quick report: the faithful scale's verdicts from its recorded evidence.
  const faithful = context.scale === "quick" && values.out === undefined
    ? contextFromEnvironment({
      scale: "faithful",
      seedBase: String(context.seedBase),
      runsDir: defaultRunsDir("faithful"),
      quiet: true,
    })
    : null;
  const beside = faithful && {
    scale: faithful.scale,
    outcomes: await evaluateClaims(CLAIMS, faithful, expectationOf, { recordedOnly: true }),
    pending: await pendingClaims(CLAIMS, faithful),
    report: "faithful/REPORT.md",
  };
  await writeReport(outcomes, context, {
    outDir,
    backend,
    pending,
    beside: beside ?? undefined,
    sections: [lstmReportSection, chessReportSection],
    seconds: (performance.now() - started) / 1000,
  });
  console.log(`${outDir}/REPORT.md written. ${headline(outcomes, pending)}.`);
  for (const o of outcomes) {
    if (o.measurement.verdict === "untested") {
      console.log(`  ${o.claim.id}: ${verdictText(o.measurement)}`);
    }
  }
  const differing = outcomes.filter((o) => !o.asExpected);
  if (differing.length > 0) {
    console.log(
      `${differing.length} verdicts differ from their pre-registered expectation: ${
        differing.map((o) => o.claim.id).join(", ")
      }`,
    );
  }
}, { help: HELP });
