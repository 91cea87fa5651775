/**
 * Figure-1-style pictures: for each sequence, a row of ground-truth states above a row of
 * decoded states (one per model timestep, grey levels = decoder output), every board labelled.
 *
 * @module
 */
import { Canvas, GLYPH_HEIGHT, textWidth } from "./png.ts";

/** One sequence to draw. */
export interface ImaginedSequence {
  /** Ground-truth boards, s_1..s_m. */
  truth: ArrayLike<number>[];
  /** Decoded boards, h(0)..h(T). */
  decoded: ArrayLike<number>[];
}

/** Options of {@link imaginationFigure}. */
export interface FigureOptions {
  /** Pixels per cell (default: boards about 120 pixels wide). */
  cell?: number;
  /** Model indices the decoder was trained on: their labels get a `*` and a legend line. */
  trainedIndices?: readonly number[];
}

const TRUTH: [number, number, number] = [40, 90, 200];
const DECODED: [number, number, number] = [230, 120, 20];
const INK: [number, number, number] = [30, 30, 30];

/**
 * Draws sequences as PNG: per sequence a blue-framed truth row labelled s_1..s_m above an
 * orange-framed decoded row labelled h(0)..h(T), with the trained indices starred.
 *
 * @example
 * ```ts
 * const png = imaginationFigure([{ truth, decoded }], 20, 20, { trainedIndices: [0, 3] });
 * ```
 */
export function imaginationFigure(
  sequences: readonly ImaginedSequence[],
  rows: number,
  cols: number,
  options: FigureOptions = {},
): Uint8Array {
  const cell = options.cell ?? Math.max(2, Math.floor(120 / Math.max(rows, cols)));
  const trained = new Set(options.trainedIndices ?? []);
  const scale = Math.max(rows, cols) * cell >= 60 ? 2 : 1;
  const label = GLYPH_HEIGHT * scale + 3;
  const gap = 6;
  const margin = gap + textWidth("decoded", scale) + gap;
  const columns = Math.max(...sequences.map((s) => Math.max(s.truth.length, s.decoded.length)));
  const boardWidth = cols * cell + gap, boardHeight = label + rows * cell + gap;
  const legend = trained.size > 0 ? label + gap : 0;
  const canvas = new Canvas(
    margin + columns * boardWidth,
    gap + sequences.length * (2 * boardHeight + gap) + legend,
  );
  const row = (top: number, name: string, color: [number, number, number]) =>
    canvas.text(gap, top + label + (rows * cell - GLYPH_HEIGHT * scale) / 2, name, color, scale);
  sequences.forEach((sequence, s) => {
    const top = gap + s * (2 * boardHeight + gap);
    row(top, "truth", TRUTH);
    row(top + boardHeight, "decoded", DECODED);
    sequence.truth.forEach((board, t) => {
      const x = margin + t * boardWidth;
      canvas.text(x, top, `s_${t + 1}`, INK, scale);
      canvas.board(x, top + label, board, rows, cols, cell, TRUTH);
    });
    sequence.decoded.forEach((board, t) => {
      const x = margin + t * boardWidth;
      canvas.text(x, top + boardHeight, `h(${t})${trained.has(t) ? "*" : ""}`, INK, scale);
      canvas.board(x, top + boardHeight + label, board, rows, cols, cell, DECODED);
    });
  });
  if (legend > 0) {
    canvas.text(gap, canvas.height - legend, "* trained index", INK, scale);
  }
  return canvas.png();
}
