/**
 * A tiny chess network training in its own process for the checkpoint test of `build.ts`:
 * trains on the first positions of fixtures/chess/positions.json with checkpoints in
 * `--checkpoint`, prints each step as a JSON line, and writes the weights (bytes) and the
 * result (JSON) to `--out`. With `--kill-at STEP` it sends itself SIGKILL when it reports that
 * step, as a machine going down would.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../../backend/backend.ts";
import { readVariables } from "../../train/checkpoint.ts";
import { TINY_NET, TINY_TRAINING, tinyPositions } from "./build_test_data.ts";
import { trainChessNet } from "./build.ts";
import { chessNetVariables } from "./model.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    out: { type: "string" },
    checkpoint: { type: "string" },
    interval: { type: "string" },
    "kill-at": { type: "string" },
  },
});
await initBackend("wasm");
const trained = trainChessNet(tinyPositions(), TINY_NET, {
  ...TINY_TRAINING,
  checkpoint: { dir: values.checkpoint as string, interval: Number(values.interval) },
}, (step) => {
  console.log(JSON.stringify({ step }));
  if (values["kill-at"] === String(step)) Deno.kill(Deno.pid, "SIGKILL");
});
const weights = readVariables(chessNetVariables(trained.net));
const bytes = new Uint8Array(weights.reduce((sum, w) => sum + w.byteLength, 0));
let offset = 0;
for (const w of weights) {
  bytes.set(new Uint8Array(w.buffer, w.byteOffset, w.byteLength), offset);
  offset += w.byteLength;
}
const out = values.out as string;
Deno.mkdirSync(out, { recursive: true });
Deno.writeFileSync(`${out}/weights.bin`, bytes);
const { steps, epochs, lossHistory } = trained;
Deno.writeTextFileSync(`${out}/result.json`, JSON.stringify({ steps, epochs, lossHistory }));
