/**
 * Chess positions as the network sees them: boards in the side-to-move frame and Leela Chess
 * Zero's 112 input planes, built from FEN with chess.js.
 *
 * A {@link Board} holds one class per square: 0 empty, 1-6 the side to move's ("our") pawn,
 * knight, bishop, rook, queen, king, 7-12 the opponent's. Like Lc0, the board is mirrored
 * vertically when black is to move, so "our" pieces always start at the bottom; square index
 * is `rank * 8 + file` in that frame (a1 = 0 for white, a8 = 0 for black).
 *
 * Input planes (Lc0's classical 112-plane layout, NCHW, one 8x8 plane each):
 *
 * | planes | content |
 * | --- | --- |
 * | 0-5 | our pawns, knights, bishops, rooks, queens, king |
 * | 6-11 | their pawns ... king |
 * | 12 | repetition (always 0: a FEN carries no history) |
 * | 13-103 | seven earlier positions (left 0: a FEN carries no history) |
 * | 104-107 | castling: we O-O-O, we O-O, they O-O-O, they O-O |
 * | 108 | black to move |
 * | 109 | rule-50 half-move counter (raw ply count, as Lc0) |
 * | 110 | zeros (formerly the move count) |
 * | 111 | ones (edge detection) |
 *
 * The subset: no history and no repetition planes, since a position from FEN has neither.
 *
 * @module
 */
import { Chess, type Move } from "chess.js";

/** Squares on a board. */
export const SQUARES = 64;
/** Square classes: empty plus six piece types for each side. */
export const PIECE_CLASSES = 13;
/** Lc0's input planes per position. */
export const INPUT_PLANES = 112;
/** Planes that can be non-zero for a position from FEN (the rest carry history). */
export const USED_PLANES: readonly number[] = [
  ...Array.from({ length: 12 }, (_, i) => i),
  104,
  105,
  106,
  107,
  108,
  109,
  110,
  111,
];

/** One class per square in the side-to-move frame (see the module doc). */
export type Board = Uint8Array;

const PIECE_ORDER = "pnbrqk";
const PIECE_LETTERS = ".PNBRQKpnbrqk";

/**
 * Parses a FEN with chess.js, with an error that names the FEN and says what was wrong.
 *
 * @example
 * ```ts
 * const chess = parseFen("rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1");
 * ```
 */
export function parseFen(fen: string): Chess {
  try {
    return new Chess(fen);
  } catch (error) {
    throw new Error(
      `bad FEN "${fen}": ${(error as Error).message}; expected six fields such as ` +
        `"rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1"`,
    );
  }
}

/**
 * The board of a position in the frame of `perspective` (default: the side to move).
 *
 * @example
 * ```ts
 * const board = boardOf(parseFen(fen));
 * board[4]; // 6: our king on e1
 * ```
 */
export function boardOf(chess: Chess, perspective: "w" | "b" = chess.turn()): Board {
  const board = new Uint8Array(SQUARES);
  const rows = chess.board(); // rows[0] is rank 8
  for (let row = 0; row < 8; row++) {
    const rank = 7 - row;
    const frameRank = perspective === "w" ? rank : 7 - rank;
    for (let file = 0; file < 8; file++) {
      const piece = rows[row][file];
      if (!piece) continue;
      const own = piece.color === perspective;
      board[frameRank * 8 + file] = 1 + PIECE_ORDER.indexOf(piece.type) + (own ? 0 : 6);
    }
  }
  return board;
}

/**
 * Lc0's 112 input planes of one position (NCHW, 112 x 64 floats), written at `offset` of `out`
 * when given.
 *
 * @example
 * ```ts
 * const planes = encodePlanes(parseFen(fen));
 * planes.length; // 7168
 * ```
 */
export function encodePlanes(
  chess: Chess,
  out: Float32Array = new Float32Array(INPUT_PLANES * SQUARES),
  offset = 0,
): Float32Array {
  const us = chess.turn(), them = us === "w" ? "b" : "w";
  const board = boardOf(chess);
  for (let square = 0; square < SQUARES; square++) {
    if (board[square] > 0) out[offset + (board[square] - 1) * SQUARES + square] = 1;
  }
  const fill = (plane: number, value: number) =>
    out.fill(value, offset + plane * SQUARES, offset + (plane + 1) * SQUARES);
  const ours = chess.getCastlingRights(us), theirs = chess.getCastlingRights(them);
  fill(104, ours.q ? 1 : 0);
  fill(105, ours.k ? 1 : 0);
  fill(106, theirs.q ? 1 : 0);
  fill(107, theirs.k ? 1 : 0);
  fill(108, us === "b" ? 1 : 0);
  fill(109, Number(chess.fen().split(" ")[4]) || 0);
  fill(111, 1);
  return out;
}

/**
 * The board after `move`, in the frame of the side that made it (the network's frame).
 *
 * @example
 * ```ts
 * const after = boardAfter(parseFen(fen), "e2e4");
 * ```
 */
export function boardAfter(chess: Chess, move: string | Move): Board {
  const mover = chess.turn();
  const next = new Chess(chess.fen());
  const uci = typeof move === "string" ? move : move.lan;
  try {
    next.move({ from: uci.slice(0, 2), to: uci.slice(2, 4), promotion: uci[4] });
  } catch {
    throw new Error(`move ${uci} is not legal in "${chess.fen()}"`);
  }
  return boardOf(next, mover);
}

/**
 * Keys ({@link boardKey}) of every board one legal move away, in the mover's frame.
 *
 * @example
 * ```ts
 * successorKeys(new Chess()).size; // 20
 * ```
 */
export function successorKeys(chess: Chess): Set<string> {
  const keys = new Set<string>();
  for (const move of chess.moves({ verbose: true })) keys.add(boardKey(boardAfter(chess, move)));
  return keys;
}

/**
 * A board as 64 letters (`.` empty, upper case ours, lower case theirs), rank 1 first.
 *
 * @example
 * ```ts
 * boardKey(boardOf(new Chess())).slice(0, 8); // "RNBQKBNR"
 * ```
 */
export function boardKey(board: Board): string {
  let key = "";
  for (const cls of board) key += PIECE_LETTERS[cls];
  return key;
}

/**
 * The inverse of {@link boardKey}.
 *
 * @example
 * ```ts
 * const board = boardFromKey(key);
 * ```
 */
export function boardFromKey(key: string): Board {
  if (key.length !== SQUARES) throw new Error(`board key of ${key.length} letters: expected 64`);
  return Uint8Array.from(key, (letter) => {
    const cls = PIECE_LETTERS.indexOf(letter);
    if (cls < 0) throw new Error(`board key letter "${letter}": expected one of ${PIECE_LETTERS}`);
    return cls;
  });
}
