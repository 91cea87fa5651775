/**
 * Writing trained networks as `chess:build` ships them (`network.onnx` beside its record
 * `network.json`), and networks of several strengths from one training: the same training
 * stopped at several steps, each stop exported and scored against Stockfish on held-out
 * positions, so the chess study can follow how its controls change as the network gets
 * stronger.
 *
 * @module
 */
import { tf } from "../../backend/tf.ts";
import type { CheckpointOptions } from "../../train/checkpoint.ts";
import {
  type Agreement,
  exportChecked,
  type LabelledPosition,
  measureAgreement,
  trainChessNet,
  type TrainedChessNet,
  type TrainOptions,
} from "./build.ts";
import { type ChessNetConfig, chessNetVariables } from "./model.ts";

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** How a network was built, as its record says. */
export interface BuildContext {
  /** The command that built it. */
  command: string;
  /** Its sizes. */
  network: ChessNetConfig;
  /** Who labelled the positions, at what depth, and how many positions were labelled. */
  labels: { engine: string; depth: number; positions: number };
  /** The TF.js backend it was trained on. */
  backend: string;
  /** When the build started (`performance.now()`), for the record's build seconds. */
  started: number;
}

/** The positions a network trains on and is scored on. */
export interface BuildSets {
  /** Positions from the training games. */
  training: readonly LabelledPosition[];
  /** Positions from games training never sees. */
  heldOut: readonly LabelledPosition[];
}

/**
 * Exports a trained network (checked against TF.js), scores it against Stockfish's moves on
 * the held-out positions and on as many training positions, and writes `network.onnx` and
 * `network.json` into `dir` (created if missing). Returns the held-out agreement and the size
 * of the ONNX file.
 *
 * @example
 * ```ts
 * const { agreement } = await writeNetwork("fixtures/chess", trained, { training, heldOut }, context);
 * ```
 */
export async function writeNetwork(
  dir: string,
  trained: TrainedChessNet,
  sets: BuildSets,
  context: BuildContext,
): Promise<{ agreement: Agreement; bytes: number }> {
  const { training, heldOut } = sets;
  const bytes = await exportChecked(trained.net, heldOut.slice(0, 16));
  const agreement = await measureAgreement(bytes, heldOut);
  const trainAgreement = await measureAgreement(bytes, training.slice(0, heldOut.length));
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeFileSync(`${dir}/network.onnx`, bytes);
  const { command, network, labels, backend, started } = context;
  Deno.writeTextFileSync(
    `${dir}/network.json`,
    JSON.stringify(
      {
        command,
        network,
        labels,
        training: {
          positions: training.length,
          steps: trained.steps,
          epochs: trained.epochs,
          seconds: Math.round(trained.seconds),
          finalLoss: trained.lossHistory.at(-1) ?? null,
          backend,
        },
        agreement: { heldOut: agreement, training: trainAgreement },
        buildSeconds: Math.round((performance.now() - started) / 1000),
      },
      null,
      1,
    ) + "\n",
  );
  return { agreement, bytes: bytes.length };
}

/**
 * Trains one network and writes it at each of `snapshots` (steps) into `<out>/<steps>/` with
 * {@link writeNetwork}. The training is checkpointed (it must be: each stretch between two
 * snapshots resumes from the checkpoint the last one left), so each network is the one an
 * uninterrupted training has at that step, and a killed build resumes: snapshots written
 * before the kill (marked in the checkpoint folder) are kept, not rewritten.
 *
 * @example
 * ```ts
 * await trainSnapshots(sets, SHIPPED_NET_CONFIG, { batchSize: 128, learningRate: 2e-3, valueWeight: 1, seed: 1, checkpoint: { dir: "runs/chess-build/checkpoints/strengths", interval: 100 } }, [1000, 4000, 15000], "fixtures/chess/strengths", context);
 * ```
 */
export async function trainSnapshots(
  sets: BuildSets,
  config: ChessNetConfig,
  options: Omit<TrainOptions, "steps" | "maxSeconds" | "checkpoint"> & {
    checkpoint: CheckpointOptions;
  },
  snapshots: readonly number[],
  out: string,
  context: BuildContext,
  onProgress: (step: number, loss: number, epoch: number) => void = () => {},
  onSnapshot: (step: number, agreement: Agreement, bytes: number) => void = () => {},
): Promise<void> {
  for (const steps of [...new Set(snapshots)].sort((a, b) => a - b)) {
    const marker = `${options.checkpoint.dir}/snapshot-${steps}.done`;
    if (exists(marker)) {
      if (!exists(`${out}/${steps}/network.onnx`) || !exists(`${out}/${steps}/network.json`)) {
        throw new Error(
          `${out}/${steps}: the network of step ${steps} was written and is gone; delete ` +
            `${options.checkpoint.dir} to train again`,
        );
      }
      continue;
    }
    const trained = trainChessNet(sets.training, config, { ...options, steps }, onProgress);
    const { agreement, bytes } = await writeNetwork(`${out}/${steps}`, trained, sets, context);
    tf.dispose(chessNetVariables(trained.net));
    Deno.writeTextFileSync(marker, `${out}/${steps}\n`);
    onSnapshot(steps, agreement, bytes);
  }
}
