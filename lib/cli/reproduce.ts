/**
 * `deno task reproduce [--scale quick|paper] [--seed-base N] [--out reports]`: the main job.
 * Trains every claim's missing runs (in parallel workers, with progress), measures every
 * Game of Life claim, Table 4 and the chess claim, and writes reports/REPORT.md with figures.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/backend.ts";
import { currentScale, seedBase } from "../claims/groups.ts";
import { chessReportSection } from "../report/chess_section.ts";
import { lstmReportSection } from "../report/lstm_section.ts";
import { writeReport } from "../report/report.ts";
import { userPath } from "./args.ts";
import { runMain } from "./main.ts";

const HELP =
  `usage: deno task reproduce [--scale quick|paper] [--seed-base N] [--out DIR] [--backend NAME]

Trains every claim's missing runs, measures every claim and writes DIR/REPORT.md (default
reports/) with figures.`;

await runMain(async () => {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      scale: { type: "string" },
      "seed-base": { type: "string" },
      out: { type: "string" },
      backend: { type: "string" },
    },
  });
  values.out = values.out === undefined ? "reports" : userPath(values.out);
  if (values.scale) Deno.env.set("IMAGINATION_SCALE", values.scale);
  if (values["seed-base"]) Deno.env.set("IMAGINATION_SEED_BASE", values["seed-base"]);
  if (values.backend) Deno.env.set("IMAGINATION_BACKEND", values.backend);
  const scale = currentScale();
  const base = seedBase();
  const backend = await initBackend();
  console.error(`reproducing at ${scale} scale, seed base ${base}, backend ${backend.name}`);
  const sections = [
    (dir: string) => lstmReportSection(dir),
    (dir: string) => chessReportSection(dir),
  ];
  const markdown = await writeReport(values.out, { scale, seedBase: base, sections });
  const summary = markdown.split("\n").find((line) => line.includes("claims reproduced"));
  console.log(`${values.out}/REPORT.md written. ${summary ?? ""}`);
}, { help: HELP });
