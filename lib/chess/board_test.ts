import assert from "node:assert/strict";
import { Chess } from "chess.js";
import {
  boardAfter,
  boardFromKey,
  boardKey,
  boardOf,
  encodePlanes,
  parseFen,
  SQUARES,
  successorKeys,
} from "./board.ts";

const START = "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1";

Deno.test("the start position's planes follow Lc0's layout", () => {
  const planes = encodePlanes(parseFen(START));
  const plane = (p: number) => Array.from(planes.subarray(p * SQUARES, (p + 1) * SQUARES));
  assert.deepEqual(plane(0).map((v, s) => v ? s : -1).filter((s) => s >= 0), [
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    15,
  ]);
  assert.deepEqual(plane(5).map((v, s) => v ? s : -1).filter((s) => s >= 0), [4]);
  assert.deepEqual(plane(11).map((v, s) => v ? s : -1).filter((s) => s >= 0), [60]);
  for (const p of [104, 105, 106, 107, 111]) {
    assert.ok(plane(p).every((v) => v === 1), `plane ${p} is all ones`);
  }
  for (const p of [12, 13, 103, 108, 109, 110]) {
    assert.ok(plane(p).every((v) => v === 0), `plane ${p} is all zeros`);
  }
});

Deno.test("black to move sees the board mirrored, its own pieces at the bottom", () => {
  const chess = parseFen("rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b Kq e3 5 1");
  const board = boardOf(chess);
  assert.equal(boardKey(board).slice(0, 16), "RNBQKBNRPPPPPPPP");
  assert.equal(board[8 * 4 + 4], 7, "white's e4 pawn is their pawn on e5 in black's frame");
  const planes = encodePlanes(chess);
  const first = (p: number) => planes[p * SQUARES];
  assert.deepEqual([104, 105, 106, 107, 108, 109].map(first), [1, 0, 0, 1, 1, 5]);
});

Deno.test("a bad FEN is refused with the FEN and an example in the message", () => {
  assert.throws(() => parseFen("not a fen"), /bad FEN "not a fen".*expected six fields/);
  assert.throws(() => parseFen("8/8/8/8/8/8/8/8 w - - 0 1"), /bad FEN/);
});

Deno.test("the board after a move stays in the mover's frame", () => {
  const chess = new Chess();
  const after = boardAfter(chess, "e2e4");
  assert.equal(after[12], 0);
  assert.equal(after[28], 1);
  assert.throws(() => boardAfter(chess, "e2e5"), /not legal/);
});

Deno.test("the start position has 20 distinct successor boards", () => {
  assert.equal(successorKeys(new Chess()).size, 20);
});

Deno.test("board keys round-trip", () => {
  const board = boardOf(parseFen("r3k2r/pP6/8/8/8/8/8/R3K2R b KQkq - 0 1"));
  assert.deepEqual(boardFromKey(boardKey(board)), board);
  assert.throws(() => boardFromKey("x".repeat(64)), /letter "x"/);
});
