/**
 * Figure-1-style pictures: for each sequence, a row of ground-truth states above a row of
 * decoded states (one per model timestep, grey levels = decoder output).
 *
 * @module
 */
import { Canvas } from "./png.ts";

/** One sequence to draw. */
export interface ImaginedSequence {
  /** Ground-truth boards, s_1..s_m. */
  truth: ArrayLike<number>[];
  /** Decoded boards, out(0)..out(T). */
  decoded: ArrayLike<number>[];
}

/**
 * Draws sequences as PNG: per sequence a blue-framed truth row above an orange-framed
 * decoded row; columns are timesteps.
 *
 * @example
 * ```ts
 * const png = imaginationFigure([{ truth, decoded }], 20, 20);
 * ```
 */
export function imaginationFigure(
  sequences: readonly ImaginedSequence[],
  rows: number,
  cols: number,
  options: { cell?: number } = {},
): Uint8Array {
  const cell = options.cell ?? Math.max(2, Math.floor(120 / Math.max(rows, cols)));
  const gap = 6;
  const columns = Math.max(...sequences.map((s) => Math.max(s.truth.length, s.decoded.length)));
  const boardWidth = cols * cell + gap, boardHeight = rows * cell + gap;
  const canvas = new Canvas(
    gap + columns * boardWidth,
    gap + sequences.length * (2 * boardHeight + gap),
  );
  sequences.forEach((sequence, s) => {
    const top = gap + s * (2 * boardHeight + gap);
    sequence.truth.forEach((board, t) =>
      canvas.board(gap + t * boardWidth, top, board, rows, cols, cell, [40, 90, 200])
    );
    sequence.decoded.forEach((board, t) =>
      canvas.board(gap + t * boardWidth, top + boardHeight, board, rows, cols, cell, [230, 120, 20])
    );
  });
  return canvas.png();
}
