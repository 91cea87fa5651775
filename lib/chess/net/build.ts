/**
 * Building the network the chess study looks at (one-off, `deno task chess:build`; the result
 * is shipped in fixtures/chess/ and CI never runs this):
 *
 * 1. positions from games Stockfish plays against itself after a few random opening moves
 *    (and with an occasional random move, for variety), each labelled with Stockfish's best
 *    move and score at a fixed depth;
 * 2. the AlphaZero-style network ({@link createChessNet}) trained in TF.js on those labels:
 *    policy cross-entropy on Stockfish's move, value cross-entropy on a win/draw/loss target
 *    made from the score;
 * 3. its ONNX export, and its top-move agreement with Stockfish on positions from held-out
 *    games, measured through onnxruntime as the study runs it.
 *
 * @module
 */
import { Chess } from "chess.js";
import { tf } from "../../backend/tf.ts";
import { optimizerStep } from "../../layers/optimize.ts";
import { createHash } from "node:crypto";
import { stableJson } from "../../runs/store.ts";
import { createRng, deriveSeed, restoreRng, type Rng } from "../../stats/rng.ts";
import {
  adamState,
  assignVariables,
  type CheckpointOptions,
  readCheckpoint,
  readVariables,
  restoreAdam,
  writeCheckpoint,
} from "../../train/checkpoint.ts";
import { encodePlanes, INPUT_PLANES, parseFen, SQUARES, USED_PLANES } from "../board.ts";
import {
  type ChessNet,
  type ChessNetConfig,
  chessNetForward,
  chessNetVariables,
  createChessNet,
} from "./model.ts";
import { loadNetwork, runNetwork } from "../network.ts";
import { exportChessNet } from "./onnx_export.ts";
import { chosenMove, POLICY_GATHER, policyIndex } from "../policy.ts";
import type { Engine } from "./stockfish.ts";

/** A position with Stockfish's verdict. */
export interface LabelledPosition {
  /** The position. */
  fen: string;
  /** Stockfish's best move (UCI). */
  bestMove: string;
  /** Stockfish's score for the side to move (centipawns; mate = +-10000 less distance). */
  scoreCp: number;
  /** Which self-play game it comes from. */
  game: number;
}

/** How positions are made. */
export interface PositionOptions {
  /** Positions wanted. */
  count: number;
  /** Stockfish search depth. */
  depth: number;
  /** Random moves at the start of each game. */
  randomPlies: number;
  /** Chance of a random move instead of Stockfish's later in the game. */
  randomMoveRate: number;
  /** Longest game, in plies. */
  maxPlies: number;
  /** Seed of the random moves. */
  seed: number;
}

/**
 * Plays self-play games with `engine` until `count` distinct positions are labelled.
 *
 * @example
 * ```ts
 * const positions = await generatePositions(engine, { count: 100, depth: 8, randomPlies: 8, randomMoveRate: 0.1, maxPlies: 160, seed: 1 });
 * ```
 */
export async function generatePositions(
  engine: Engine,
  options: PositionOptions,
  onProgress: (done: number) => void = () => {},
): Promise<LabelledPosition[]> {
  const rng = createRng(options.seed);
  const seen = new Set<string>();
  const positions: LabelledPosition[] = [];
  for (let game = 0; positions.length < options.count; game++) {
    const chess = new Chess();
    for (let ply = 0; ply < options.maxPlies && !chess.isGameOver(); ply++) {
      const moves = chess.moves({ verbose: true });
      if (ply < options.randomPlies) {
        chess.move(moves[rng.int(moves.length)]);
        continue;
      }
      const fen = chess.fen();
      const label = await engine.analyse(fen, options.depth);
      const key = fen.split(" ").slice(0, 4).join(" ");
      if (!seen.has(key)) {
        seen.add(key);
        positions.push({ fen, bestMove: label.bestMove, scoreCp: label.scoreCp, game });
        if (positions.length % 500 === 0) onProgress(positions.length);
        if (positions.length >= options.count) break;
      }
      if (rng.next() < options.randomMoveRate) chess.move(moves[rng.int(moves.length)]);
      else {chess.move({
          from: label.bestMove.slice(0, 2),
          to: label.bestMove.slice(2, 4),
          promotion: label.bestMove[4],
        });}
    }
  }
  return positions;
}

/**
 * A win/draw/loss target from a score: the expected score `tanh(cp / 400)` split into a win
 * and a loss share, the rest draw.
 *
 * @example
 * ```ts
 * wdlTarget(0); // [0, 1, 0]
 * ```
 */
export function wdlTarget(scoreCp: number): [number, number, number] {
  const expected = Math.tanh(scoreCp / 400);
  return [Math.max(0, expected), 1 - Math.abs(expected), Math.max(0, -expected)];
}

/** Training data as dense arrays. */
interface TrainingSet {
  planes: Float32Array; // [N, 8, 8, 20] NHWC
  policyTarget: Int32Array; // index into the 8x8x73 planes
  wdl: Float32Array; // [N, 3]
  count: number;
}

function trainingSet(positions: readonly LabelledPosition[]): TrainingSet {
  const used = USED_PLANES.length;
  const planes = new Float32Array(positions.length * SQUARES * used);
  const policyTarget = new Int32Array(positions.length);
  const wdl = new Float32Array(positions.length * 3);
  const scratch = new Float32Array(INPUT_PLANES * SQUARES);
  positions.forEach((position, i) => {
    const chess = parseFen(position.fen);
    scratch.fill(0);
    encodePlanes(chess, scratch);
    for (let square = 0; square < SQUARES; square++) {
      USED_PLANES.forEach((plane, c) => {
        planes[(i * SQUARES + square) * used + c] = scratch[plane * SQUARES + square];
      });
    }
    const move = chess.move({
      from: position.bestMove.slice(0, 2),
      to: position.bestMove.slice(2, 4),
      promotion: position.bestMove[4],
    });
    policyTarget[i] = POLICY_GATHER[policyIndex(move)];
    wdl.set(wdlTarget(position.scoreCp), i * 3);
  });
  return { planes, policyTarget, wdl, count: positions.length };
}

/** Steps over which the learning rate falls tenfold unless a training says otherwise. */
export const DEFAULT_DECAY_STEPS = 1500;

/** A trained network and how its training went. */
export interface TrainedChessNet {
  /** The network. */
  net: ChessNet;
  /** Steps taken. */
  steps: number;
  /** Passes over the positions begun after the first. */
  epochs: number;
  /** Moving average of the loss every 100 steps. */
  lossHistory: number[];
  /** Seconds spent training, before a resume included. */
  seconds: number;
}

/** How the network is trained. */
export interface TrainOptions {
  /** Optimizer steps. */
  steps: number;
  /** Stop early after this many seconds of wall time (the steps taken are returned). */
  maxSeconds?: number;
  /** Batch size. */
  batchSize: number;
  /** Initial Adam learning rate (decays tenfold every `decaySteps` steps). */
  learningRate: number;
  /** Steps over which the learning rate falls tenfold (default 1500, as the shipped network). */
  decaySteps?: number;
  /** Weight of the value loss. */
  valueWeight: number;
  /** Seed of the weights and batches. */
  seed: number;
  /**
   * Checkpoint every `interval` steps and at the end into `dir`, and resume from a checkpoint
   * found there: the resumed run ends bit-identical to one that never stopped (on the same
   * backend). One training per folder; a checkpoint of another training (other positions,
   * network, batch size, learning rate, value weight or seed) is refused. The planned steps
   * and `maxSeconds` are not part of it: a training of k steps is the start of a longer one,
   * so a finished training's folder continues into a longer one.
   */
  checkpoint?: CheckpointOptions;
}

/** The result so far, as a checkpoint keeps it. */
interface TrainProgress {
  /** The shuffled order of the current epoch. */
  order: number[];
  /** Position in `order` of the next batch. */
  at: number;
  epochs: number;
  /** Moving average of the loss. */
  recent: number;
  lossHistory: number[];
  /** Seconds spent training before this checkpoint. */
  seconds: number;
}

function batchOf(set: TrainingSet, picks: number[]) {
  const used = USED_PLANES.length, stride = SQUARES * used;
  const planes = new Float32Array(picks.length * stride);
  const wdl = new Float32Array(picks.length * 3);
  const policy = new Int32Array(picks.length);
  picks.forEach((pick, i) => {
    planes.set(set.planes.subarray(pick * stride, (pick + 1) * stride), i * stride);
    wdl.set(set.wdl.subarray(pick * 3, pick * 3 + 3), i * 3);
    policy[i] = set.policyTarget[pick];
  });
  return { planes, wdl, policy };
}

function shuffled(count: number, rng: Rng): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

// What a checkpoint belongs to: everything that changes the weights at a given step.
function trainingKey(
  positions: readonly LabelledPosition[],
  config: ChessNetConfig,
  options: TrainOptions,
): string {
  const labels = createHash("sha256");
  for (const p of positions) labels.update(`${p.fen}|${p.bestMove}|${p.scoreCp}\n`);
  const { steps: _steps, maxSeconds: _maxSeconds, checkpoint: _checkpoint, ...training } = options;
  const decaySteps = options.decaySteps ?? DEFAULT_DECAY_STEPS;
  return stableJson({
    positions: labels.digest("hex"),
    config,
    training: { ...training, decaySteps },
  });
}

/**
 * Trains a fresh network on labelled positions, checkpointed and resumable with
 * `options.checkpoint`. `onProgress` is called after every step with the loss's moving
 * average (the loss history keeps it every 100 steps).
 *
 * @example
 * ```ts
 * const { net } = trainChessNet(positions, SHIPPED_NET_CONFIG, { steps: 1500, batchSize: 128, learningRate: 2e-3, valueWeight: 1, seed: 1 });
 * ```
 */
export function trainChessNet(
  positions: readonly LabelledPosition[],
  config: ChessNetConfig,
  options: TrainOptions,
  onProgress: (step: number, loss: number, epoch: number) => void = () => {},
): TrainedChessNet {
  const set = trainingSet(positions);
  const net = createChessNet(config, createRng(deriveSeed(options.seed, "chess-net-init")));
  let rng = createRng(deriveSeed(options.seed, "chess-net-batches"));
  const optimizer = tf.train.adam(options.learningRate);
  const variables = chessNetVariables(net);
  let lossHistory: number[] = [];
  let started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let order = shuffled(set.count, rng), at = 0, epochs = 0, steps = 0, recent = 0;
  const { checkpoint } = options;
  const key = checkpoint ? trainingKey(positions, config, options) : "";
  const saved = checkpoint ? readCheckpoint<TrainProgress>(checkpoint.dir, key) : null;
  if (saved?.stepper && saved.stepper.steps > options.steps) {
    throw new Error(
      `${checkpoint?.dir}: its training is at step ${saved.stepper.steps}, past the ` +
        `${options.steps} steps asked; give another checkpoint folder`,
    );
  }
  if (saved?.stepper) {
    assignVariables(variables, saved.weights);
    restoreAdam(optimizer, saved.stepper.optimizer, variables);
    rng = restoreRng(saved.stepper.batches);
    steps = saved.stepper.steps;
    ({ order, at, epochs, recent, lossHistory } = saved.progress);
    started -= saved.progress.seconds * 1000;
  }
  const save = () =>
    writeCheckpoint<TrainProgress>((checkpoint as CheckpointOptions).dir, {
      run: key,
      phase: "model",
      weights: readVariables(variables),
      stepper: { steps, batches: rng.state(), optimizer: adamState(optimizer) },
      progress: { order, at, epochs, recent, lossHistory, seconds: seconds() },
    });
  while (steps < options.steps && seconds() <= (options.maxSeconds ?? Infinity)) {
    if (at + options.batchSize > set.count) {
      order = shuffled(set.count, rng);
      at = 0;
      epochs++;
    }
    // The decay does not depend on the planned steps, so a run stopped early at step k is the
    // same network as a run of k steps.
    (optimizer as unknown as { learningRate: number }).learningRate = options.learningRate *
      Math.pow(0.1, steps / (options.decaySteps ?? DEFAULT_DECAY_STEPS));
    const batch = batchOf(set, order.slice(at, at + options.batchSize));
    at += options.batchSize;
    const size = options.batchSize;
    const loss = optimizerStep(
      optimizer,
      () => {
        const planes = tf.tensor4d(batch.planes, [size, 8, 8, USED_PLANES.length]);
        const { policy, wdl } = chessNetForward(net, planes);
        const policyLoss = tf.losses.softmaxCrossEntropy(
          tf.oneHot(tf.tensor1d(batch.policy, "int32"), policy.shape[1]),
          policy,
        );
        const valueLoss = tf.losses.softmaxCrossEntropy(tf.tensor2d(batch.wdl, [size, 3]), wdl);
        return tf.add(policyLoss, tf.mul(options.valueWeight, valueLoss)) as tf.Scalar;
      },
      variables,
      5,
    );
    if (!Number.isFinite(loss)) {
      throw new Error(`chess network training: loss is ${loss} at step ${steps}`);
    }
    steps++;
    recent = steps === 1 ? loss : 0.98 * recent + 0.02 * loss;
    if (steps % 100 === 0) lossHistory.push(recent);
    if (checkpoint && steps % checkpoint.interval === 0) save();
    onProgress(steps, recent, epochs);
  }
  if (checkpoint) save();
  optimizer.dispose();
  return { net, steps, epochs, lossHistory, seconds: seconds() };
}

/** Top-move agreement with Stockfish on labelled positions. */
export interface Agreement {
  /** Positions scored. */
  positions: number;
  /** Fraction where the network's top legal move is Stockfish's best move. */
  network: number;
  /** Expected agreement of a uniformly random legal move: mean of 1 / (legal moves). */
  randomLegalMove: number;
  /**
   * Mean probability of the network's top legal move (softmax over the legal moves' policy
   * outputs): how firmly it commits to the move it plays.
   */
  topMoveProbability: number;
}

/**
 * Scores an ONNX network (path or bytes) against Stockfish's moves, through onnxruntime.
 *
 * @example
 * ```ts
 * const { network, randomLegalMove } = await measureAgreement("fixtures/chess/network.onnx", heldOut);
 * ```
 */
export async function measureAgreement(
  file: string | Uint8Array,
  positions: readonly { fen: string; bestMove: string }[],
): Promise<Agreement> {
  const network = await loadNetwork(file);
  let agree = 0, random = 0, top = 0;
  const batch = 256;
  for (let start = 0; start < positions.length; start += batch) {
    const slice = positions.slice(start, start + batch);
    const planes = new Float32Array(slice.length * INPUT_PLANES * SQUARES);
    const games = slice.map((p, i) => {
      const chess = parseFen(p.fen);
      encodePlanes(chess, planes, i * INPUT_PLANES * SQUARES);
      return chess;
    });
    const { policy } = await runNetwork(network, planes, slice.length);
    games.forEach((chess, i) => {
      const logits = policy.subarray(i * 1858, (i + 1) * 1858);
      const move = chosenMove(chess, logits);
      if (move && move.lan === slice[i].bestMove) agree++;
      const legal = chess.moves({ verbose: true }).map((m) => logits[policyIndex(m)]);
      random += 1 / legal.length;
      const best = Math.max(...legal);
      top += 1 / legal.reduce((sum, value) => sum + Math.exp(value - best), 0);
    });
  }
  await network.session.release();
  return {
    positions: positions.length,
    network: agree / positions.length,
    randomLegalMove: random / positions.length,
    topMoveProbability: top / positions.length,
  };
}

/**
 * Exports a trained network to ONNX bytes (see `onnx_export.ts`), checking on a few positions
 * that onnxruntime's policy matches TF.js's.
 *
 * @example
 * ```ts
 * const bytes = await exportChecked(net, positions.slice(0, 8));
 * ```
 */
export async function exportChecked(
  net: ChessNet,
  sample: readonly LabelledPosition[],
): Promise<Uint8Array> {
  const bytes = exportChessNet(net);
  const set = trainingSet(sample);
  const expected = tf.tidy(() => {
    const { policy } = chessNetForward(
      net,
      tf.tensor4d(set.planes, [set.count, 8, 8, USED_PLANES.length]),
    );
    return tf.gather(policy, tf.tensor1d(POLICY_GATHER, "int32"), 1).dataSync() as Float32Array;
  });
  const network = await loadNetwork(bytes);
  const planes = new Float32Array(sample.length * INPUT_PLANES * SQUARES);
  sample.forEach((p, i) => encodePlanes(parseFen(p.fen), planes, i * INPUT_PLANES * SQUARES));
  const { policy } = await runNetwork(network, planes, sample.length);
  await network.session.release();
  let worst = 0;
  policy.forEach((value, i) => worst = Math.max(worst, Math.abs(value - expected[i])));
  if (worst > 1e-3) throw new Error(`ONNX export differs from TF.js by ${worst} in the policy`);
  return bytes;
}
