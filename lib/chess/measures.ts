/**
 * What a decoded board is: how many squares match the input or the board after the chosen
 * move, whether it is a valid position at all, whether it is one legal move away from the input,
 * and whether pieces appear or disappear. All on {@link Board}s in the side-to-move frame.
 *
 * @module
 */
import { type Board, SQUARES } from "./board.ts";

const PAWN = 1, KNIGHT = 2, BISHOP = 3, ROOK = 4, QUEEN = 5, KING = 6, THEIRS = 6;

/**
 * Fraction of the 64 squares on which two boards agree.
 *
 * @example
 * ```ts
 * squareAccuracy(decoded, input); // 0.97
 * ```
 */
export function squareAccuracy(a: Board, b: Board): number {
  let same = 0;
  for (let square = 0; square < SQUARES; square++) if (a[square] === b[square]) same++;
  return same / SQUARES;
}

function counts(board: Board): number[] {
  const result = new Array<number>(13).fill(0);
  for (const cls of board) result[cls]++;
  return result;
}

/**
 * Whether a board could occur in a game (ignoring whose turn it is and checks): exactly one
 * king per side, at most 8 pawns and 16 pieces per side, no more promoted pieces than missing
 * pawns, and no pawn on the first or last rank.
 *
 * @example
 * ```ts
 * isValidPosition(boardOf(new Chess())); // true
 * ```
 */
export function isValidPosition(board: Board): boolean {
  const count = counts(board);
  for (const side of [0, THEIRS]) {
    if (count[side + KING] !== 1) return false;
    const pawns = count[side + PAWN];
    if (pawns > 8) return false;
    let pieces = 0, promoted = 0;
    for (let type = PAWN; type <= KING; type++) pieces += count[side + type];
    if (pieces > 16) return false;
    promoted += Math.max(0, count[side + KNIGHT] - 2) + Math.max(0, count[side + BISHOP] - 2);
    promoted += Math.max(0, count[side + ROOK] - 2) + Math.max(0, count[side + QUEEN] - 1);
    if (promoted > 8 - pawns) return false;
  }
  for (let file = 0; file < 8; file++) {
    for (const square of [file, 56 + file]) {
      if (board[square] === PAWN || board[square] === THEIRS + PAWN) return false;
    }
  }
  return true;
}

/**
 * Whether the piece counts of `decoded` differ from those of `input` by more than one move can
 * explain: no change, one of their pieces (not the king) captured, one of our pawns promoted,
 * or a promotion with a capture. A decoding that fails this shows pieces appearing or
 * disappearing.
 *
 * @example
 * ```ts
 * piecesAppearOrDisappear(input, decoded); // true when a queen came from nowhere
 * ```
 */
export function piecesAppearOrDisappear(input: Board, decoded: Board): boolean {
  const before = counts(input), after = counts(decoded);
  const change = (cls: number) => after[cls] - before[cls];
  let theirLosses = 0;
  for (let type = PAWN; type <= KING; type++) {
    const delta = change(THEIRS + type);
    if (delta > 0 || (type === KING && delta !== 0)) return true;
    theirLosses -= delta;
  }
  if (theirLosses > 1) return true;
  if (change(KING) !== 0) return true;
  const pawnDelta = change(PAWN);
  let gained = 0;
  for (const type of [KNIGHT, BISHOP, ROOK, QUEEN]) {
    const delta = change(type);
    if (delta < 0) return true;
    gained += delta;
  }
  if (pawnDelta === 0) return gained !== 0;
  return !(pawnDelta === -1 && gained === 1);
}
