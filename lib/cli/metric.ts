/**
 * `deno task metric FILE [--json] [--variant match|double-sum|mcc]`: scores decoded model
 * outputs with the paper's Eq. 1 (see lib/metric). A relative FILE is read from the folder the
 * command was run in. Every failure prints one line naming the problem and exits non-zero (a
 * stack trace only with IMAGINATION_DEBUG=1).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { isAbsolute, join } from "node:path";
import { parseMetricInput } from "../metric/input.ts";
import { meanMetric, METRIC_VARIANTS, type MetricVariant } from "../metric/imagination.ts";

const usage = `usage: deno task metric FILE [--json] [--variant ${METRIC_VARIANTS.join("|")}]`;
const help = `${usage}

Scores decoded model outputs with the paper's Eq. 1, averaged over sequences.
FILE is JSON: { "gol": sequences x states x rows x cols of 0/1,
                "generated": sequences x model outputs x rows x cols in [0, 1],
                "trainedIndices": model indices the decoder was trained on }
A relative FILE is read from the current folder. Example: fixtures/metric_sample.json

  --variant match       Eq. 1 as the paper words it: each generated state counts once (default)
  --variant double-sum  Eq. 1's double sum taken literally
  --variant mcc         the reference's Matthews correlation, best per true state, in [0, 1]
  --json                print { file, variant, sequences, score } as JSON
  -h, --help            print this help`;

/** A failure the user can fix: printed as one line, exit code 2 (usage) or 1 (input). */
class UserError extends Error {
  constructor(message: string, readonly code: 1 | 2) {
    super(message);
  }
}

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        variant: { type: "string", default: "match" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UserError(`${(error as Error).message} (${usage})`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(help);
    return;
  }
  if (positionals.length !== 1) {
    throw new UserError(`expected one input file, got ${positionals.length} (${usage})`, 2);
  }
  const variant = values.variant as MetricVariant;
  if (!METRIC_VARIANTS.includes(variant)) {
    throw new UserError(`--variant ${variant}: expected one of ${METRIC_VARIANTS.join(", ")}`, 2);
  }
  const file = positionals[0];
  // `deno task` runs in the project root and keeps the user's folder in INIT_CWD.
  const userDir = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  const path = isAbsolute(file) ? file : join(userDir, file);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    throw new UserError(`${file}: cannot read: ${(error as Error).message}`, 1);
  }
  let score: number, sequences: number;
  try {
    const input = parseMetricInput(text);
    sequences = input.gol.length;
    score = meanMetric(
      input.gol.map((gol, s) => ({ gol, outputs: input.generated[s] })),
      { trainedIndices: input.trainedIndices, variant },
    );
  } catch (error) {
    throw new UserError(`${file}: ${(error as Error).message}`, 1);
  }
  if (values.json) {
    console.log(JSON.stringify({ file, variant, sequences, score }));
  } else {
    console.log(`${score.toFixed(4)} (${variant}, ${sequences} sequences, ${file})`);
  }
}

try {
  main();
} catch (error) {
  if (Deno.env.get("IMAGINATION_DEBUG") === "1") console.error(error);
  else console.error(`error: ${(error as Error).message.split("\n")[0]}`);
  Deno.exit(error instanceof UserError ? error.code : 1);
}
