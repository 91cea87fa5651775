/**
 * `deno task metric FILE [--json] [--variant match|mcc]`: scores decoded model outputs with the
 * paper's Eq. 1 (see lib/metric). Bad input prints one line naming the problem and exits 1.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parseMetricInput } from "../metric/input.ts";
import { meanMetric, type MetricVariant } from "../metric/imagination.ts";

const usage = "usage: deno task metric FILE [--json] [--variant match|mcc]";

function main(): number {
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
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`expected one input file, got ${positionals.length}\n${usage}`);
    return 2;
  }
  if (values.variant !== "match" && values.variant !== "mcc") {
    console.error(`--variant ${values.variant}: expected match or mcc`);
    return 2;
  }
  const file = positionals[0];
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (error) {
    console.error(`${file}: cannot read: ${(error as Error).message}`);
    return 1;
  }
  try {
    const input = parseMetricInput(text);
    const variant = values.variant as MetricVariant;
    const score = meanMetric(
      input.gol.map((gol, s) => ({ gol, outputs: input.generated[s] })),
      { trainedIndices: input.trainedIndices, variant },
    );
    if (values.json) {
      console.log(JSON.stringify({ file, variant, sequences: input.gol.length, score }));
    } else {
      console.log(`${score.toFixed(4)} (${variant}, ${input.gol.length} sequences, ${file})`);
    }
    return 0;
  } catch (error) {
    console.error(`${file}: ${(error as Error).message}`);
    return 1;
  }
}

Deno.exit(main());
