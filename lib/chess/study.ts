/**
 * One run of the chess study (run kind "chess"): the frozen network's activations on shipped
 * positions, a decoder trained on them as in Section 3.3 (and its adversarial variant), and the
 * per-layer measures of what the decoders show. The run store keeps the result, the decoder
 * weights and a few decoded boards for the report's figures.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { activeBackend, type BackendInfo, initBackend } from "../backend/backend.ts";
import type { ConvLayer } from "../layers/layers.ts";
import { saveLayers } from "../layers/serialize.ts";
import type { RunOutput, RunProgress } from "../runs/kinds.ts";
import type { RunSpec } from "../runs/store.ts";
import {
  type Board,
  boardAfter,
  boardKey,
  boardOf,
  encodePlanes,
  INPUT_PLANES,
  parseFen,
  SQUARES,
  successorKeys,
} from "./board.ts";
import {
  decodeBoards,
  type DecoderConfig,
  type DecoderTrainingSet,
  type LayerActivations,
  layerNorm,
  standardized,
  toNhwc,
  trainAdversarialDecoder,
  trainDecoder,
} from "./decoder.ts";
import { isValidPosition, piecesAppearOrDisappear, squareAccuracy } from "./measures.ts";
import { type ChessNetwork, loadNetwork, runNetwork } from "./network.ts";
import { chosenMove, POLICY_MOVES } from "./policy.ts";

/** A chess run's configuration (RunSpec.config). */
export interface ChessStudyConfig {
  /** ONNX network: a path relative to the project root, or absolute. */
  network: string;
  /** Its SHA-256 (16 hex digits), so that a rebuilt network never reuses old runs. */
  networkSha256: string;
  /** Positions file (fixtures/chess/positions.json layout). */
  positions: string;
  /** Positions the decoders train on (from `decoderTrain`). */
  trainPositions: number;
  /** Held-out positions the measures use (from `heldOut`). */
  evalPositions: number;
  /** Decoder sizes and training. */
  decoder: DecoderConfig;
  /** Held-out positions whose decodings are kept for figures. */
  samples: number;
}

/** Measures of one layer's decodings, means over the held-out positions. */
export interface LayerMeasures {
  /** Layer name ("input", "block0", ...). */
  layer: string;
  /** Square accuracy against the input board. */
  accuracyInput: number;
  /** Square accuracy against the board after the network's chosen move. */
  accuracyPostMove: number;
  /** Fraction of decodings that are valid positions. */
  valid: number;
  /** Fraction equal to the board after some legal move of the input. */
  successor: number;
  /** Fraction equal to the board after the network's chosen move. */
  chosenSuccessor: number;
  /** Fraction equal to the input board. */
  equalsInput: number;
  /** Fraction with pieces appearing or disappearing (more than one move explains). */
  pieceChange: number;
}

/** One decoder's measures. */
export interface DecoderMeasures {
  /** Per layer, input block first and final trunk last. */
  layers: LayerMeasures[];
  /** Per held-out position: square accuracy of the input block's decoding vs the input. */
  inputAccuracy: number[];
  /** Per held-out position: square accuracy of the final trunk's decoding vs the post-move board. */
  trunkPostMoveAccuracy: number[];
  /** Accuracy on the squares the chosen move changes, final trunk (copying scores 0). */
  changedSquareAccuracy: number;
  /** Per held-out position: fraction of intermediate blocks whose decoding is a legal successor. */
  intermediateSuccessor: number[];
}

/** Decoded boards of one held-out position, for figures. */
export interface DecodedSample {
  /** The position. */
  fen: string;
  /** The network's chosen move (UCI). */
  move: string;
  /** Input board ({@link boardKey}). */
  input: string;
  /** Board after the chosen move. */
  postMove: string;
  /** Per decoder variant, per layer, the decoded board. */
  decoded: Record<string, string[]>;
}

/** What a chess run stores. */
export interface ChessRunResult {
  /** The network. */
  network: { source: string; sha256: string; layers: string[]; channels: number[] };
  /** Positions used. */
  positions: { train: number; eval: number };
  /** Per held-out position: square accuracy of the input board against the post-move board. */
  copyAccuracy: number[];
  /** The regular decoder. */
  regular: DecoderMeasures;
  /** The adversarial decoder, when trained. */
  adversarial: DecoderMeasures | null;
  /** Decodings for figures. */
  samples: DecodedSample[];
  /** Seconds per phase. */
  seconds: {
    activations: number;
    decoder: number;
    adversarial: number;
    evaluate: number;
    total: number;
  };
  /** Backend of the decoder training. */
  backend: BackendInfo;
}

/** What the network and positions give, ready for decoders. */
export interface PositionSet {
  fens: string[];
  moves: string[];
  layers: LayerActivations[];
  inputBoards: Board[];
  postMoveBoards: Board[];
  successors: Set<string>[];
}

/**
 * A project-relative path made absolute (absolute paths stay as they are).
 *
 * @example
 * ```ts
 * projectPath("fixtures/chess/network.onnx");
 * ```
 */
export function projectPath(path: string): string {
  return path.startsWith("/") ? path : fileURLToPath(new URL(`../../${path}`, import.meta.url));
}

/**
 * The shipped positions file: held-out positions with Stockfish's moves, and decoder training
 * positions.
 *
 * @example
 * ```ts
 * const { heldOut, decoderTrain } = readPositions("fixtures/chess/positions.json");
 * ```
 */
export function readPositions(path: string): {
  heldOut: { fen: string; bestMove: string; scoreCp: number }[];
  decoderTrain: string[];
} {
  let parsed;
  try {
    parsed = JSON.parse(Deno.readTextFileSync(projectPath(path)));
  } catch (error) {
    throw new Error(`positions ${path}: cannot read it as JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed?.heldOut) || !Array.isArray(parsed?.decoderTrain)) {
    throw new Error(`positions ${path}: expected { "heldOut": [...], "decoderTrain": [...] }`);
  }
  return parsed;
}

/**
 * Runs the network on positions: every layer's activations (NHWC), the input boards, the
 * network's chosen moves and the boards after them, and (with `keepSuccessors`) the set of
 * boards after each legal move.
 *
 * @example
 * ```ts
 * const set = await positionSet(network, ["8/8/8/8/8/8/k7/K6R w - - 0 1"], true);
 * ```
 */
export async function positionSet(
  network: ChessNetwork,
  fens: string[],
  keepSuccessors: boolean,
): Promise<PositionSet> {
  const set: PositionSet = {
    fens: [],
    moves: [],
    layers: [],
    inputBoards: [],
    postMoveBoards: [],
    successors: [],
  };
  const chunks: Float32Array[][] = network.layers.map(() => []);
  let channels: number[] = [];
  const batch = 256, stride = INPUT_PLANES * SQUARES;
  for (let start = 0; start < fens.length; start += batch) {
    const slice = fens.slice(start, start + batch);
    const planes = new Float32Array(slice.length * stride);
    const games = slice.map((fen, i) => {
      const chess = parseFen(fen);
      encodePlanes(chess, planes, i * stride);
      return chess;
    });
    const outputs = await runNetwork(network, planes, slice.length);
    channels = outputs.channels;
    outputs.activations.forEach((values, layer) =>
      chunks[layer].push(toNhwc(values, channels[layer], slice.length).values)
    );
    games.forEach((chess, i) => {
      const move = chosenMove(
        chess,
        outputs.policy.subarray(i * POLICY_MOVES, (i + 1) * POLICY_MOVES),
      );
      if (!move) {
        throw new Error(
          `position "${slice[i]}" has no legal move: positions must not be mate or stalemate`,
        );
      }
      set.fens.push(slice[i]);
      set.moves.push(move.lan);
      set.inputBoards.push(boardOf(chess));
      set.postMoveBoards.push(boardAfter(chess, move));
      if (keepSuccessors) set.successors.push(successorKeys(chess));
    });
  }
  set.layers = chunks.map((parts, layer) => {
    const values = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
    let at = 0;
    for (const part of parts) {
      values.set(part, at);
      at += part.length;
    }
    return { values, channels: channels[layer] };
  });
  return set;
}

function measureDecoder(
  decoder: readonly ConvLayer[],
  set: PositionSet,
  layerNames: string[],
) {
  const count = set.fens.length;
  const decodedByLayer = set.layers.map((layer) => decodeBoards(decoder, layer, count));
  const mean = (f: (i: number, board: Board) => number, boards: Board[]) =>
    boards.reduce((sum, board, i) => sum + f(i, board), 0) / count;
  const layers: LayerMeasures[] = decodedByLayer.map((boards, l) => ({
    layer: layerNames[l],
    accuracyInput: mean((i, b) => squareAccuracy(b, set.inputBoards[i]), boards),
    accuracyPostMove: mean((i, b) => squareAccuracy(b, set.postMoveBoards[i]), boards),
    valid: mean((_, b) => Number(isValidPosition(b)), boards),
    successor: mean((i, b) => Number(set.successors[i].has(boardKey(b))), boards),
    chosenSuccessor: mean(
      (i, b) => Number(boardKey(b) === boardKey(set.postMoveBoards[i])),
      boards,
    ),
    equalsInput: mean((i, b) => Number(boardKey(b) === boardKey(set.inputBoards[i])), boards),
    pieceChange: mean((i, b) => Number(piecesAppearOrDisappear(set.inputBoards[i], b)), boards),
  }));
  const first = decodedByLayer[0], last = decodedByLayer[decodedByLayer.length - 1];
  const intermediate = decodedByLayer.slice(1, -1);
  let changed = 0, changedRight = 0;
  for (let i = 0; i < count; i++) {
    for (let square = 0; square < SQUARES; square++) {
      if (set.inputBoards[i][square] === set.postMoveBoards[i][square]) continue;
      changed++;
      if (last[i][square] === set.postMoveBoards[i][square]) changedRight++;
    }
  }
  const measures: DecoderMeasures = {
    layers,
    inputAccuracy: first.map((b, i) => squareAccuracy(b, set.inputBoards[i])),
    trunkPostMoveAccuracy: last.map((b, i) => squareAccuracy(b, set.postMoveBoards[i])),
    changedSquareAccuracy: changed > 0 ? changedRight / changed : 0,
    intermediateSuccessor: set.fens.map((_, i) =>
      intermediate.length === 0
        ? 0
        : intermediate.filter((boards) => set.successors[i].has(boardKey(boards[i]))).length /
          intermediate.length
    ),
  };
  return { measures, decodedByLayer };
}

async function openChessRun(
  config: ChessStudyConfig,
): Promise<{ network: ChessNetwork; positions: ReturnType<typeof readPositions> }> {
  const network = await loadNetwork(projectPath(config.network));
  if (network.sha256 !== config.networkSha256) {
    throw new Error(
      `network ${config.network} has SHA-256 ${network.sha256}, the run asked for ${config.networkSha256}: ` +
        "build the run specs from the file as it is now",
    );
  }
  const positions = readPositions(config.positions);
  if (
    positions.decoderTrain.length < config.trainPositions ||
    positions.heldOut.length < config.evalPositions
  ) {
    throw new Error(
      `positions ${config.positions}: ${positions.decoderTrain.length} training and ${positions.heldOut.length} held-out ` +
        `positions; the run needs ${config.trainPositions} and ${config.evalPositions}`,
    );
  }
  return { network, positions };
}

/**
 * Checks a chess spec before any worker starts: the network loads, is the file the spec was
 * built from, and runs one held-out position; the positions file holds enough positions.
 *
 * @example
 * ```ts
 * await checkChessRun(spec); // throws a one-line error naming the file
 * ```
 */
export async function checkChessRun(spec: RunSpec): Promise<void> {
  const { network, positions } = await openChessRun(spec.config as ChessStudyConfig);
  try {
    await positionSet(network, positions.heldOut.slice(0, 1).map((p) => p.fen), false);
  } finally {
    await network.session.release();
  }
}

/**
 * Runs the chess study a spec describes (the run store's "chess" executor).
 *
 * @example
 * ```ts
 * const output = await executeChessRun(spec, (progress) => console.log(progress));
 * ```
 */
export async function executeChessRun(
  spec: RunSpec,
  onProgress: (progress: RunProgress) => void,
): Promise<RunOutput> {
  const config = spec.config as ChessStudyConfig;
  const backend = activeBackend() ?? await initBackend();
  const started = performance.now();
  let phaseStart = started;
  const lap = () => {
    const seconds = (performance.now() - phaseStart) / 1000;
    phaseStart = performance.now();
    return seconds;
  };
  const { network, positions } = await openChessRun(config);
  onProgress({ phase: "activations", step: 0, steps: 1 });
  const train = await positionSet(
    network,
    positions.decoderTrain.slice(0, config.trainPositions),
    false,
  );
  const evaluation = await positionSet(
    network,
    positions.heldOut.slice(0, config.evalPositions).map((p) => p.fen),
    true,
  );
  await network.session.release();
  const activationSeconds = lap();

  // With `standardize`, every layer (training and held-out) is scaled by the training
  // positions' statistics of that layer.
  const norms = config.decoder.standardize ? train.layers.map(layerNorm) : null;
  if (norms) {
    train.layers = train.layers.map((layer, l) => standardized(layer, norms[l]));
    evaluation.layers = evaluation.layers.map((layer, l) => standardized(layer, norms[l]));
  }
  const trainingSet: DecoderTrainingSet = {
    layers: train.layers,
    inputBoards: train.inputBoards,
    postMoveBoards: train.postMoveBoards,
  };
  const { decoder: decoderConfig } = config;
  const regular = trainDecoder(
    trainingSet,
    decoderConfig,
    spec.seed,
    (step, loss) => onProgress({ phase: "decoder", step, steps: decoderConfig.steps, loss }),
  );
  const decoderSeconds = lap();
  const adversarial = decoderConfig.adversarialSteps > 0
    ? trainAdversarialDecoder(
      trainingSet,
      regular,
      decoderConfig,
      spec.seed,
      (step, loss) =>
        onProgress({ phase: "adversarial", step, steps: decoderConfig.adversarialSteps, loss }),
    )
    : null;
  const adversarialSeconds = lap();

  onProgress({ phase: "evaluate", step: 0, steps: 1 });
  const regularMeasured = measureDecoder(regular, evaluation, network.layers);
  const adversarialMeasured = adversarial
    ? measureDecoder(adversarial, evaluation, network.layers)
    : null;
  const samples: DecodedSample[] = evaluation.fens.slice(0, config.samples).map((fen, i) => ({
    fen,
    move: evaluation.moves[i],
    input: boardKey(evaluation.inputBoards[i]),
    postMove: boardKey(evaluation.postMoveBoards[i]),
    decoded: {
      regular: regularMeasured.decodedByLayer.map((boards) => boardKey(boards[i])),
      ...(adversarialMeasured
        ? { adversarial: adversarialMeasured.decodedByLayer.map((boards) => boardKey(boards[i])) }
        : {}),
    },
  }));
  const result: ChessRunResult = {
    network: {
      source: config.network,
      sha256: network.sha256,
      layers: network.layers,
      channels: evaluation.layers.map((layer) => layer.channels),
    },
    positions: { train: train.fens.length, eval: evaluation.fens.length },
    copyAccuracy: evaluation.inputBoards.map((board, i) =>
      squareAccuracy(board, evaluation.postMoveBoards[i])
    ),
    regular: regularMeasured.measures,
    adversarial: adversarialMeasured?.measures ?? null,
    samples,
    seconds: {
      activations: activationSeconds,
      decoder: decoderSeconds,
      adversarial: adversarialSeconds,
      evaluate: lap(),
      total: (performance.now() - started) / 1000,
    },
    backend,
  };
  const { manifest, data } = saveLayers({ regular, ...(adversarial ? { adversarial } : {}) });
  return {
    result,
    files: {
      "decoders.json": manifest,
      "decoders.bin": data,
      ...(norms ? { "layer-norms.json": JSON.stringify({ layers: network.layers, norms }) } : {}),
    },
  };
}
