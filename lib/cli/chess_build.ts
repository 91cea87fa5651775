/**
 * `deno task chess:build`: rebuilds the shipped chess network and its positions
 * (fixtures/chess/). One-off and slow (about 20 minutes on two cores); CI never runs it.
 * Needs Stockfish (`apt-get install stockfish`).
 *
 * Usage: deno task chess:build [--positions N] [--depth D] [--train-steps N] [--max-train-seconds S] [--seed N]
 *        [--out DIR] [--stockfish PATH] [--zero-init-residual] [--checkpoint-dir DIR]
 *
 * --zero-init-residual starts each residual block's second convolution at zero (the shipped
 * network does not; see ChessNetConfig.zeroInitResidual).
 *
 * Training is checkpointed every 100 steps into --checkpoint-dir (default
 * runs/chess-build/checkpoints/ under a name from the positions, seed and network), and a
 * build started again resumes from there, ending bit-identical to one that never stopped.
 *
 * --max-train-seconds stops training early on a busy machine; network.json records the steps
 * taken, and `--train-steps` with that number rebuilds the same network (on the same backend).
 *
 * Writes network.onnx, positions.json (held-out positions with Stockfish's moves, and the
 * positions the decoders train on) and network.json (how it was built and how well it plays).
 * Labels are cached in runs/chess-build/ as they land, so a killed build resumes its labelling
 * and a second build skips Stockfish's searches (Stockfish still starts, for its version line).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/backend.ts";
import {
  exportChecked,
  type LabelledPosition,
  measureAgreement,
  trainChessNet,
} from "../chess/net/build.ts";
import { cachedPositions } from "../chess/net/label_cache.ts";
import { SHIPPED_NET_CONFIG } from "../chess/net/model.ts";
import { openStockfish } from "../chess/net/stockfish.ts";
import { integerFlag, MAX_SEED, userPath } from "./args.ts";
import { runMain } from "./main.ts";

// Training steps between checkpoints (a checkpoint of the shipped network takes well under a
// second to write; 100 steps take about four minutes on two cores).
const CHECKPOINT_INTERVAL = 100;

const HELP = `usage: deno task chess:build [--positions N] [--held-out N] [--decoder-positions N] \
[--depth D] [--train-steps N] [--max-train-seconds S] [--seed N] [--out DIR] [--stockfish PATH] \
[--backend NAME] [--zero-init-residual] [--checkpoint-dir DIR]

Rebuilds the shipped chess network and its positions (about 20 minutes on two cores; needs
Stockfish: apt-get install stockfish). Writes network.onnx, positions.json and network.json.
Training is checkpointed into --checkpoint-dir and resumes from it when started again.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      positions: { type: "string", default: "24000" },
      "held-out": { type: "string", default: "1000" },
      "decoder-positions": { type: "string", default: "6000" },
      depth: { type: "string", default: "8" },
      "train-steps": { type: "string", default: "1500" },
      "max-train-seconds": { type: "string" },
      seed: { type: "string", default: "1" },
      out: { type: "string" },
      stockfish: { type: "string" },
      backend: { type: "string" },
      "zero-init-residual": { type: "boolean", default: false },
      "checkpoint-dir": { type: "string" },
    },
  });
  const netConfig = { ...SHIPPED_NET_CONFIG, zeroInitResidual: values["zero-init-residual"] };

  // The default is the project's fixtures; a folder given by the user is taken from theirs.
  const out = values.out === undefined ? "fixtures/chess" : userPath(values.out);
  const count = (name: string, text: string) => integerFlag(name, text);

  const total = count("positions", values.positions);
  const heldOutCount = count("held-out", values["held-out"]);
  const decoderCount = count("decoder-positions", values["decoder-positions"]);
  const depth = count("depth", values.depth);
  const seed = integerFlag("seed", values.seed, { min: 1, max: MAX_SEED });
  const trainSteps = count("train-steps", values["train-steps"]);
  const maxTrainSeconds = values["max-train-seconds"]
    ? count("max-train-seconds", values["max-train-seconds"])
    : undefined;
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)}s`;

  // Labels are cached as they land (label_cache.ts): a killed build resumes its labelling and
  // a finished one is reused.
  const engine = await openStockfish(values.stockfish && userPath(values.stockfish));
  const positions = await cachedPositions(
    engine,
    { count: total, depth, randomPlies: 8, randomMoveRate: 0.1, maxPlies: 200, seed },
    "runs/chess-build",
    (done) => console.error(`[chess:build] ${done}/${total} positions labelled (${elapsed()})`),
  );
  await engine.close();

  // Held-out positions come from the last games, which training never sees.
  const lastGame = positions[positions.length - 1].game;
  let firstHeldOutGame = lastGame;
  while (positions.filter((p) => p.game >= firstHeldOutGame).length < heldOutCount) {
    firstHeldOutGame--;
  }
  const heldOut = positions.filter((p) => p.game >= firstHeldOutGame).slice(0, heldOutCount);
  const training = positions.filter((p) => p.game < firstHeldOutGame);
  console.error(
    `[chess:build] ${training.length} training and ${heldOut.length} held-out positions`,
  );

  const backend = await initBackend(values.backend);
  const zero = netConfig.zeroInitResidual ? "-zero" : "";
  const checkpointDir = values["checkpoint-dir"] === undefined
    ? `runs/chess-build/checkpoints/positions-${total}-d${depth}-s${seed}${zero}`
    : userPath(values["checkpoint-dir"]);
  const trained = trainChessNet(
    training,
    netConfig,
    {
      steps: trainSteps,
      maxSeconds: maxTrainSeconds,
      batchSize: 128,
      learningRate: 2e-3,
      valueWeight: 1,
      seed,
      checkpoint: { dir: checkpointDir, interval: CHECKPOINT_INTERVAL },
    },
    (step, loss, epoch) => {
      if (step % 100 !== 0) return;
      console.error(
        `[chess:build] step ${step} epoch ${epoch} loss ${loss.toFixed(3)} (${elapsed()})`,
      );
    },
  );
  const bytes = await exportChecked(trained.net, heldOut.slice(0, 16));
  const agreement = await measureAgreement(bytes, heldOut);
  const trainAgreement = await measureAgreement(bytes, training.slice(0, heldOutCount));
  console.error(
    `[chess:build] agreement with Stockfish on ${agreement.positions} held-out positions: ` +
      `network ${(agreement.network * 100).toFixed(1)}%, random legal move ` +
      `${(agreement.randomLegalMove * 100).toFixed(1)}% (training positions: ${
        (trainAgreement.network * 100).toFixed(1)
      }%); mean probability of its top legal move ${agreement.topMoveProbability.toFixed(3)}`,
  );

  Deno.mkdirSync(out, { recursive: true });
  Deno.writeFileSync(`${out}/network.onnx`, bytes);
  const strip = ({ fen, bestMove, scoreCp }: LabelledPosition) => ({ fen, bestMove, scoreCp });
  // Decoders train on positions from training games, spread over all of them.
  const stride = Math.max(1, Math.floor(training.length / decoderCount));
  const decoderTrain = training.filter((_, i) => i % stride === 0).slice(0, decoderCount).map((p) =>
    p.fen
  );
  Deno.writeTextFileSync(
    `${out}/positions.json`,
    JSON.stringify({ heldOut: heldOut.map(strip), decoderTrain }, null, 0) + "\n",
  );
  Deno.writeTextFileSync(
    `${out}/network.json`,
    JSON.stringify(
      {
        command: `deno task chess:build ${Deno.args.join(" ")}`.trim(),
        network: netConfig,
        labels: {
          engine: "Stockfish (Debian package), 1 thread",
          depth,
          positions: positions.length,
        },
        training: {
          positions: training.length,
          steps: trained.steps,
          epochs: trained.epochs,
          seconds: Math.round(trained.seconds),
          finalLoss: trained.lossHistory.at(-1) ?? null,
          backend: backend.name,
        },
        agreement: { heldOut: agreement, training: trainAgreement },
        buildSeconds: Math.round((performance.now() - started) / 1000),
      },
      null,
      1,
    ) + "\n",
  );
  console.error(
    `[chess:build] wrote ${out}/network.onnx (${bytes.length} bytes) in ${elapsed()}`,
  );
}

await runMain(main, { help: HELP });
