/**
 * `deno task chess:build`: rebuilds the shipped chess network and its positions
 * (fixtures/chess/). One-off and slow (about 20 minutes on two cores); CI never runs it.
 * Needs Stockfish (`apt-get install stockfish`).
 *
 * Usage: deno task chess:build [--positions N] [--depth D] [--train-steps N] [--max-train-seconds S] [--seed N]
 *        [--out DIR] [--stockfish PATH] [--zero-init-residual] [--checkpoint-dir DIR]
 *        [--decay-steps N] [--snapshots STEPS,STEPS,...]
 *
 * --zero-init-residual starts each residual block's second convolution at zero (the shipped
 * network does not; see ChessNetConfig.zeroInitResidual).
 *
 * Training is checkpointed every 100 steps into --checkpoint-dir (default
 * runs/chess-build/checkpoints/ under a name from the labelling and training options), and a
 * build started again resumes from there, ending bit-identical to one that never stopped.
 *
 * --decay-steps sets the steps over which the learning rate falls tenfold (default 1500, as the
 * shipped network was trained).
 *
 * --snapshots 1000,4000,15000 trains one network to the largest of those steps and writes it at
 * each of them into <out>/strengths/<steps>/ (network.onnx, network.json), with the positions
 * of that training in <out>/strengths/positions.json: networks of several strengths, for the
 * chess study's control-gap curve. The shipped network in <out> is left as it is.
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
  type Agreement,
  DEFAULT_DECAY_STEPS,
  type LabelledPosition,
  trainChessNet,
} from "../chess/net/build.ts";
import { trainSnapshots, writeNetwork } from "../chess/net/snapshots.ts";
import { cachedPositions } from "../chess/net/label_cache.ts";
import { SHIPPED_NET_CONFIG } from "../chess/net/model.ts";
import { openStockfish } from "../chess/net/stockfish.ts";
import { integerFlag, MAX_SEED, userPath } from "./args.ts";
import { runMain, UsageError } from "./main.ts";

// Training steps between checkpoints (a checkpoint of the shipped network takes well under a
// second to write; 100 steps take about four minutes on two cores).
const CHECKPOINT_INTERVAL = 100;

const HELP = `usage: deno task chess:build [--positions N] [--held-out N] [--decoder-positions N] \
[--depth D] [--train-steps N] [--max-train-seconds S] [--seed N] [--out DIR] [--stockfish PATH] \
[--backend NAME] [--zero-init-residual] [--checkpoint-dir DIR] [--decay-steps N] \
[--snapshots STEPS,STEPS,...]

Rebuilds the shipped chess network and its positions (about 20 minutes on two cores; needs
Stockfish: apt-get install stockfish). Writes network.onnx, positions.json and network.json.
Training is checkpointed into --checkpoint-dir and resumes from it when started again.
--snapshots writes the network at each of those steps of one training into
<out>/strengths/<steps>/ instead (the network in <out> is left as it is); --decay-steps sets the
learning rate's tenfold decay (default 1500).`;

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
      snapshots: { type: "string" },
      "decay-steps": { type: "string", default: String(DEFAULT_DECAY_STEPS) },
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
  const decaySteps = integerFlag("decay-steps", values["decay-steps"]);
  const snapshots = values.snapshots === undefined
    ? undefined
    : values.snapshots.split(",").map((text) => integerFlag("snapshots", text));
  if (snapshots && maxTrainSeconds !== undefined) {
    throw new UsageError(
      "--snapshots and --max-train-seconds: give one (a snapshot build stops at its steps)",
    );
  }
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
  const engineId = engine.id;
  await engine.close();

  // Held-out positions come from the last games, which training never sees.
  const lastGame = positions[positions.length - 1].game;
  let firstHeldOutGame = lastGame;
  while (positions.filter((p) => p.game >= firstHeldOutGame).length < heldOutCount) {
    firstHeldOutGame--;
  }
  const heldOut = positions.filter((p) => p.game >= firstHeldOutGame).slice(0, heldOutCount);
  const trainingPositions = positions.filter((p) => p.game < firstHeldOutGame);
  console.error(
    `[chess:build] ${trainingPositions.length} training and ${heldOut.length} held-out positions`,
  );

  const backend = await initBackend(values.backend);
  const zero = netConfig.zeroInitResidual ? "-zero" : "";
  const checkpointDir = values["checkpoint-dir"] === undefined
    ? `runs/chess-build/checkpoints/positions-${total}-d${depth}-s${seed}${zero}-decay${decaySteps}`
    : userPath(values["checkpoint-dir"]);
  const training = {
    batchSize: 128,
    learningRate: 2e-3,
    decaySteps,
    valueWeight: 1,
    seed,
    checkpoint: { dir: checkpointDir, interval: CHECKPOINT_INTERVAL },
  };
  const onProgress = (step: number, loss: number, epoch: number) => {
    if (step % 100 !== 0) return;
    console.error(
      `[chess:build] step ${step} epoch ${epoch} loss ${loss.toFixed(3)} (${elapsed()})`,
    );
  };
  const context = {
    command: `deno task chess:build ${Deno.args.join(" ")}`.trim(),
    network: netConfig,
    labels: { engine: `${engineId}, 1 thread`, depth, positions: positions.length },
    backend: backend.name,
    started,
  };
  const sets = { training: trainingPositions, heldOut };
  const report = (where: string, agreement: Agreement, bytes: number) =>
    console.error(
      `[chess:build] agreement with Stockfish on ${agreement.positions} held-out positions: ` +
        `network ${(agreement.network * 100).toFixed(1)}%, random legal move ` +
        `${(agreement.randomLegalMove * 100).toFixed(1)}%; mean probability of its top legal ` +
        `move ${agreement.topMoveProbability.toFixed(3)}; wrote ${where}/network.onnx ` +
        `(${bytes} bytes) in ${elapsed()}`,
    );

  // Strengths go beside the shipped network, which they leave as it is.
  const written = snapshots ? `${out}/strengths` : out;
  if (snapshots) {
    await trainSnapshots(
      sets,
      netConfig,
      training,
      snapshots,
      written,
      context,
      onProgress,
      (step, agreement, bytes) => report(`${written}/${step}`, agreement, bytes),
    );
  } else {
    const trained = trainChessNet(
      trainingPositions,
      netConfig,
      { ...training, steps: trainSteps, maxSeconds: maxTrainSeconds },
      onProgress,
    );
    const { agreement, bytes } = await writeNetwork(out, trained, sets, context);
    report(out, agreement, bytes);
  }

  const strip = ({ fen, bestMove, scoreCp }: LabelledPosition) => ({ fen, bestMove, scoreCp });
  // Decoders train on positions from training games, spread over all of them.
  const stride = Math.max(1, Math.floor(trainingPositions.length / decoderCount));
  const decoderTrain = trainingPositions.filter((_, i) => i % stride === 0).slice(0, decoderCount)
    .map((p) => p.fen);
  Deno.writeTextFileSync(
    `${written}/positions.json`,
    JSON.stringify({ heldOut: heldOut.map(strip), decoderTrain }, null, 0) + "\n",
  );
}

await runMain(main, { help: HELP });
