/**
 * `deno task imagine RUN [--out FILE] [--sequences N] [--decoder regular|extra]`: draws what a
 * stored Game of Life run imagines, in the style of the paper's Figure 1. RUN is a run hash
 * (a folder of the run store) or a run folder's path.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/backend.ts";
import { runSequences, stateOf } from "../gol/life.ts";
import { imaginationFigure } from "../report/figures.ts";
import { RunStore } from "../runs/store.ts";
import { decodeSequences } from "../train/evaluate.ts";
import { loadGolRun } from "../train/gol_runs.ts";
import { validateRunConfig } from "../train/validate.ts";

const usage = "usage: deno task imagine RUN [--out FILE] [--sequences N] [--decoder regular|extra]";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      sequences: { type: "string", default: "4" },
      decoder: { type: "string", default: "regular" },
      backend: { type: "string" },
    },
  });
  if (positionals.length !== 1) {
    console.error(usage);
    return 2;
  }
  const run = positionals[0];
  const store = new RunStore();
  const dir = [run, `${store.root}/${run}`].find((path) => {
    try {
      return Deno.statSync(`${path}/spec.json`).isFile;
    } catch {
      return false;
    }
  });
  if (!dir) {
    console.error(
      `run "${run}": no spec.json there nor in ${store.root}/${run}; list runs with ls ${store.root}`,
    );
    return 1;
  }
  const spec = JSON.parse(Deno.readTextFileSync(`${dir}/spec.json`));
  if (spec.kind !== "gol") {
    console.error(`run "${run}" is a ${spec.kind} run; imagine draws gol runs`);
    return 1;
  }
  const count = Number(values.sequences);
  if (!Number.isInteger(count) || count < 1 || count > 64) {
    console.error(`--sequences ${values.sequences}: expected an integer in 1..64`);
    return 2;
  }
  await initBackend(values.backend);
  const config = validateRunConfig(spec.config);
  const { model, extraDecoder } = loadGolRun(dir, config);
  const decoder = values.decoder === "extra" ? extraDecoder : model.decoder;
  if (!decoder) {
    console.error(`run "${run}" has no extra (adversarial) decoder`);
    return 1;
  }
  const size = config.model.boardSize;
  const heldOut = runSequences(config.model, "eval", count, spec.seed);
  const outputs = decodeSequences(model, decoder, heldOut, 0, count);
  const outputsPerSequence = config.model.modelTimesteps + 1;
  const cells = size * size;
  const png = imaginationFigure(
    Array.from({ length: count }, (_, s) => ({
      truth: Array.from({ length: heldOut.states }, (_, t) => stateOf(heldOut, s, t)),
      decoded: Array.from(
        { length: outputsPerSequence },
        (_, t) =>
          outputs.subarray(
            (s * outputsPerSequence + t) * cells,
            (s * outputsPerSequence + t + 1) * cells,
          ),
      ),
    })),
    size,
    size,
  );
  const out = values.out ?? `${dir}/imagination.png`;
  Deno.writeFileSync(out, png);
  console.log(
    `${out}: ${count} held-out sequences, truth (blue) above decoded (orange), ${values.decoder} decoder`,
  );
  return 0;
}

Deno.exit(await main());
