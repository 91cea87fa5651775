/**
 * `deno task imagine RUN [--out FILE] [--sequences N] [--decoder regular|extra]`: draws what a
 * stored Game of Life run imagines, in the style of the paper's Figure 1. RUN is a run hash
 * (a folder of the run store) or a run folder's path.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend, parseBackendName } from "../backend/backend.ts";
import { runSequences, stateOf } from "../gol/life.ts";
import { trainedIndicesFor } from "../metric/imagination.ts";
import { imaginationFigure } from "../report/figures.ts";
import { RunStore } from "../runs/store.ts";
import { decodeSequences } from "../train/evaluate.ts";
import { loadGolRun } from "../train/gol_runs.ts";
import { validateRunConfig } from "../train/validate.ts";
import { integerFlag, userPath } from "./args.ts";
import { runMain, UsageError } from "./main.ts";

const HELP = `usage: deno task imagine RUN [--out FILE] [--sequences N] [--decoder regular|extra] \
[--backend NAME]

Draws held-out sequences of a stored Game of Life run: per sequence the true states s_1..s_m
above the decoded states h(0)..h(T); * marks the indices the decoder was trained on.
  RUN            a run hash (a folder of the run store) or a run folder's path
  --out FILE     the PNG to write (default: RUN/imagination.png)
  --sequences N  1..64 held-out sequences (default 4)
  --decoder D    regular (trained with the model) or extra (the adversarial decoder)`;

function findRun(run: string, store: RunStore): string {
  const dir = [userPath(run), `${store.root}/${run}`].find((path) => {
    try {
      return Deno.statSync(`${path}/spec.json`).isFile;
    } catch {
      return false;
    }
  });
  if (!dir) {
    throw new Error(
      `run "${run}": no spec.json there nor in ${store.root}/${run}; list runs with ls ${store.root}`,
    );
  }
  return dir;
}

async function main(): Promise<void> {
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
    throw new UsageError(`expected one run, got ${positionals.length}`);
  }
  if (values.decoder !== "regular" && values.decoder !== "extra") {
    throw new UsageError(`--decoder ${values.decoder}: expected regular or extra`);
  }
  const count = integerFlag("sequences", values.sequences, { min: 1, max: 64 });
  const backendName = parseBackendName(values.backend ?? "auto");
  const run = positionals[0];
  const dir = findRun(run, new RunStore());
  let spec;
  try {
    spec = JSON.parse(Deno.readTextFileSync(`${dir}/spec.json`));
  } catch (error) {
    throw new Error(
      `${dir}/spec.json: not JSON (${(error as Error).message}); the entry is damaged: ` +
        "move it aside and train the run again",
    );
  }
  if (spec?.kind !== "gol") {
    throw new Error(`run "${run}" is a ${spec?.kind} run; imagine draws gol runs`);
  }
  const config = validateRunConfig(spec.config);
  const out = values.out ? userPath(values.out) : `${dir}/imagination.png`;
  await initBackend(backendName);
  let stored;
  try {
    stored = loadGolRun(dir, config);
  } catch (error) {
    throw new Error(
      `${dir}: cannot load its weights (${(error as Error).message}); the entry is damaged: ` +
        "move it aside and train the run again",
    );
  }
  const { model, extraDecoder } = stored;
  const decoder = values.decoder === "extra" ? extraDecoder : model.decoder;
  if (!decoder) throw new Error(`run "${run}" has no extra (adversarial) decoder`);
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
    {
      trainedIndices: trainedIndicesFor(
        config.model.modelTimesteps,
        config.model.useAutoencoder,
      ),
    },
  );
  try {
    Deno.writeFileSync(out, png);
  } catch (error) {
    throw new Error(`--out ${out}: cannot write there (${(error as Error).message})`);
  }
  console.log(
    `${out}: ${count} held-out sequences, truth s_t (blue) above decoded h(t) (orange), ${values.decoder} decoder`,
  );
}

await runMain(main, { help: HELP });
