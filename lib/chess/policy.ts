/**
 * Leela Chess Zero's policy encoding: 1858 moves in the side-to-move frame, and the map from
 * each of them to an AlphaZero-style 8x8x73 convolutional policy (what our network's head
 * computes before it gathers the 1858 outputs).
 *
 * Lc0's order: for each from-square a1..h8, every queen-line and knight destination in square
 * order; then the promotions a7a8q, a7a8r, a7a8b, a7b8q, ... A bare move to the last rank
 * stands for a knight promotion (or a piece's plain move), castling is written king-takes-rook
 * (e1h1, e1a1).
 *
 * @module
 */
import type { Chess, Move } from "chess.js";

/** Moves in Lc0's policy. */
export const POLICY_MOVES = 1858;
/** Planes of the convolutional policy: 56 queen-line, 8 knight, 9 promotion. */
export const POLICY_PLANES = 73;

// Queen-line directions N, NE, E, SE, S, SW, W, NW as (file, rank) steps.
const DIRECTIONS = [[0, 1], [1, 1], [1, 0], [1, -1], [0, -1], [-1, -1], [-1, 0], [-1, 1]];
const KNIGHT_STEPS = [[1, 2], [2, 1], [2, -1], [1, -2], [-1, -2], [-2, -1], [-2, 1], [-1, 2]];
const PROMOTIONS = "qrb";

function squareName(square: number): string {
  return "abcdefgh"[square % 8] + String(Math.floor(square / 8) + 1);
}

function planeOf(from: number, to: number, promotion: string): number {
  const df = (to % 8) - (from % 8), dr = Math.floor(to / 8) - Math.floor(from / 8);
  if (promotion) return 64 + (df + 1) * 3 + PROMOTIONS.indexOf(promotion);
  const knight = KNIGHT_STEPS.findIndex(([f, r]) => f === df && r === dr);
  if (knight >= 0) return 56 + knight;
  const distance = Math.max(Math.abs(df), Math.abs(dr));
  const direction = DIRECTIONS.findIndex(([f, r]) => f * distance === df && r * distance === dr);
  return direction * 7 + distance - 1;
}

function buildTable(): { moves: string[]; gather: Int32Array } {
  const moves: string[] = [];
  const gather: number[] = [];
  for (let from = 0; from < 64; from++) {
    for (let to = 0; to < 64; to++) {
      if (to === from) continue;
      const df = Math.abs((to % 8) - (from % 8)),
        dr = Math.abs(Math.floor(to / 8) - Math.floor(from / 8));
      const queenLine = df === 0 || dr === 0 || df === dr;
      const knight = (df === 1 && dr === 2) || (df === 2 && dr === 1);
      if (!queenLine && !knight) continue;
      moves.push(squareName(from) + squareName(to));
      gather.push(from * POLICY_PLANES + planeOf(from, to, ""));
    }
  }
  for (let file = 0; file < 8; file++) {
    for (let toFile = file - 1; toFile <= file + 1; toFile++) {
      if (toFile < 0 || toFile > 7) continue;
      for (const promotion of PROMOTIONS) {
        const from = 48 + file, to = 56 + toFile;
        moves.push(squareName(from) + squareName(to) + promotion);
        gather.push(from * POLICY_PLANES + planeOf(from, to, promotion));
      }
    }
  }
  return { moves, gather: Int32Array.from(gather) };
}

const TABLE = buildTable();

/**
 * Lc0's 1858 moves in order (side-to-move frame).
 *
 * @example
 * ```ts
 * POLICY_MOVE_NAMES[0]; // "a1b1"
 * ```
 */
export const POLICY_MOVE_NAMES: readonly string[] = TABLE.moves;

/**
 * For each of the 1858 moves, its index in the flattened 8x8x73 policy (`square * 73 + plane`).
 *
 * @example
 * ```ts
 * const logits1858 = POLICY_GATHER.map((i) => logits4672[i]);
 * ```
 */
export const POLICY_GATHER: Int32Array = TABLE.gather;

const INDEX_OF = new Map(TABLE.moves.map((move, i) => [move, i]));

function flipRank(square: string): string {
  return square[0] + String(9 - Number(square[1]));
}

/**
 * Lc0's policy index of a legal chess.js move, in the mover's frame.
 *
 * @example
 * ```ts
 * policyIndex(new Chess().move("e4")); // index of "e2e4"
 * ```
 */
export function policyIndex(move: Move): number {
  let from: string = move.from, to: string = move.to;
  if (move.color === "b") {
    from = flipRank(from);
    to = flipRank(to);
  }
  if (move.isKingsideCastle()) to = "h" + to[1];
  if (move.isQueensideCastle()) to = "a" + to[1];
  const promotion = move.promotion && move.promotion !== "n" ? move.promotion : "";
  const index = INDEX_OF.get(from + to + promotion);
  if (index === undefined) throw new Error(`move ${move.lan} has no Lc0 policy index`);
  return index;
}

/**
 * The legal move with the highest policy output (1858 values in Lc0's order), or null when
 * there is no legal move.
 *
 * @example
 * ```ts
 * const move = chosenMove(chess, policy.subarray(0, 1858));
 * ```
 */
export function chosenMove(chess: Chess, policy: ArrayLike<number>): Move | null {
  let best: Move | null = null, bestValue = -Infinity;
  for (const move of chess.moves({ verbose: true })) {
    const value = policy[policyIndex(move)];
    if (value > bestValue) {
      best = move;
      bestValue = value;
    }
  }
  return best;
}
