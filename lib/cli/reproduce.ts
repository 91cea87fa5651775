/**
 * `deno task reproduce [--scale quick|paper] [--seed-base N] [--out reports] [--backend NAME]`:
 * the main job. Builds the context once, measures every claim of the registry (training the
 * missing runs in parallel workers, with progress), prints the headline with every untested
 * reason, and writes reports/REPORT.md with its figures.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/backend.ts";
import { expectationOf } from "../claims/preregistration.ts";
import { evaluateClaims, verdictText } from "../claims/protocol.ts";
import { CLAIMS } from "../claims/registry.ts";
import { chessReportSection } from "../report/chess_section.ts";
import { lstmReportSection } from "../report/lstm_section.ts";
import { headline, writeReport } from "../report/report.ts";
import { contextFromEnvironment } from "./context.ts";

const USAGE =
  `usage: deno task reproduce [--scale quick|paper] [--seed-base N] [--out DIR] [--backend NAME]
  Measures every claim of the paper at a scale (default: IMAGINATION_SCALE, else quick) and seed base
  (default: IMAGINATION_SEED_BASE, else 20240530), training what the run store lacks, and writes DIR/REPORT.md
  (default reports/).`;

try {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      scale: { type: "string" },
      "seed-base": { type: "string" },
      out: { type: "string", default: "reports" },
      backend: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const started = performance.now();
  const context = contextFromEnvironment({ scale: values.scale, seedBase: values["seed-base"] });
  // Workers inherit the backend through the environment.
  if (values.backend) Deno.env.set("IMAGINATION_BACKEND", values.backend);
  const backend = await initBackend(values.backend);
  console.error(
    `reproducing at ${context.scale} scale, seed base ${context.seedBase}, backend ${backend.name}`,
  );
  const outcomes = await evaluateClaims(CLAIMS, context, expectationOf);
  await writeReport(outcomes, context, {
    outDir: values.out,
    backend,
    sections: [lstmReportSection, chessReportSection],
    seconds: (performance.now() - started) / 1000,
  });
  console.log(`${values.out}/REPORT.md written. ${headline(outcomes)}.`);
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
} catch (error) {
  console.error(`reproduce: ${(error as Error).message}`);
  Deno.exit(1);
}
