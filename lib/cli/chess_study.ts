/**
 * `deno task chess:study`: the chess study (Section 3.3) on the shipped network or on your own
 * Lc0-style network in ONNX, through the run store. Prints the per-layer measures and the
 * claim's verdict.
 *
 * Usage: deno task chess:study [--network FILE] [--positions FILE] [--scale quick|faithful|paper]
 *        [--seed-base N] [--json]
 *        [--decoder-hidden N] [--decoder-depth N] [--decoder-steps N] [--standardize]
 *
 * The --decoder-* flags and --standardize replace the scale's decoder settings (hidden
 * channels, hidden 3x3 convolutions, training steps; per-layer standardisation of the
 * activations), to try other decoders on a network. The claim test uses the scale's settings.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { chessRunSpecs, evaluateChessClaim, measureChessClaim } from "../chess/claim.ts";
import { verdictText } from "../claims/protocol.ts";
import { contextFromEnvironment } from "./context.ts";
import type { ChessRunResult, LayerMeasures } from "../chess/study.ts";
import { ensureRuns } from "../runs/pool.ts";
import { integerFlag, projectFile } from "./args.ts";
import { runMain } from "./main.ts";

const HELP =
  `usage: deno task chess:study [--network FILE] [--positions FILE] [--scale quick|faithful|paper] \
[--seed-base N] [--json] [--decoder-hidden N] [--decoder-depth N] [--decoder-steps N] [--standardize]

The chess study (Section 3.3) on the shipped network or on your own Lc0-style ONNX network.
  --network FILE    ONNX policy network (default: the scale's, fixtures/chess/network.onnx;
                    at faithful scale fixtures/chess/strengths/15000/network.onnx)
  --positions FILE  positions JSON with "heldOut" and "decoderTrain" (default: the scale's
                    network's; with --network, fixtures/chess/positions.json: give a strengths
                    network its build's fixtures/chess/strengths/positions.json)
  --decoder-*       replace the scale's decoder settings (hidden channels, 3x3 layers, steps)
  --standardize     per-layer standardisation of the activations`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      network: { type: "string" },
      positions: { type: "string" },
      scale: { type: "string" },
      "seed-base": { type: "string" },
      json: { type: "boolean", default: false },
      "decoder-hidden": { type: "string" },
      "decoder-depth": { type: "string" },
      "decoder-steps": { type: "string" },
      standardize: { type: "boolean" },
    },
  });

  const positiveInteger = (name: string, text: string | undefined) =>
    text === undefined ? undefined : integerFlag(name, text);
  const { scale, seedBase: base, store } = contextFromEnvironment({
    scale: values.scale,
    seedBase: values["seed-base"],
  });
  // Project files are named as the specs of the report name them (the strength curve's runs).
  const network = values.network ? projectFile(values.network) : undefined;
  const positions = values.positions ? projectFile(values.positions) : undefined;
  const overrides = {
    hidden: positiveInteger("decoder-hidden", values["decoder-hidden"]),
    depth: positiveInteger("decoder-depth", values["decoder-depth"]),
    steps: positiveInteger("decoder-steps", values["decoder-steps"]),
    standardize: values.standardize,
  };
  const decoder = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  );
  const specs = await chessRunSpecs(scale, base, { network, positions, decoder });
  const runs = await ensureRuns<ChessRunResult>(specs, { label: "chess", store });
  const results = runs.map((run) => run.result);
  const verdict = evaluateChessClaim(results);
  if (values.json) {
    console.log(JSON.stringify({ runs: runs.map((r) => r.dir), results, verdict }, null, 1));
  } else {
    const percent = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(7);
    for (const [i, result] of results.entries()) {
      console.log(
        `run ${i + 1} (${
          runs[i].dir
        }), network ${result.network.source} (${result.network.sha256})`,
      );
      for (
        const [variant, measures] of [["regular", result.regular], [
          "adversarial",
          result.adversarial,
        ]] as const
      ) {
        if (!measures) continue;
        console.log(
          `  ${variant} decoder: layer   acc(input) acc(post)   valid successor  chosen  =input  pieces+-`,
        );
        for (const m of measures.layers as LayerMeasures[]) {
          console.log(
            `    ${m.layer.padEnd(8)} ${percent(m.accuracyInput)}   ${
              percent(m.accuracyPostMove)
            } ${percent(m.valid)} ${percent(m.successor)} ${percent(m.chosenSuccessor)} ${
              percent(m.equalsInput)
            } ${percent(m.pieceChange)}`,
          );
        }
      }
    }
    for (const control of verdict.controls) {
      console.log(
        `control ${control.passed ? "passed" : "FAILED"}: ${control.name}\n  ${control.detail}`,
      );
    }
    const t = verdict.tested;
    console.log(
      `intermediate successor rate (tested): ${percent(t.value)} [${percent(t.low)}, ${
        percent(t.high)
      }] -> ${verdictText(measureChessClaim(results))}`,
    );
  }
}

await runMain(main, { help: HELP });
