import assert from "node:assert/strict";
import { Chess } from "chess.js";
import { boardAfter, boardOf } from "./board.ts";
import { isValidPosition, piecesAppearOrDisappear, squareAccuracy } from "./measures.ts";

const start = boardOf(new Chess());

Deno.test("square accuracy counts agreeing squares", () => {
  assert.equal(squareAccuracy(start, start), 1);
  assert.equal(squareAccuracy(start, boardAfter(new Chess(), "e2e4")), 62 / 64);
});

Deno.test("valid positions have one king per side, no back-rank pawns and possible counts", () => {
  assert.ok(isValidPosition(start));
  const noKing = start.slice();
  noKing[4] = 0;
  assert.ok(!isValidPosition(noKing));
  const pawnOnBackRank = start.slice();
  pawnOnBackRank[0] = 1;
  assert.ok(!isValidPosition(pawnOnBackRank));
  const extraQueen = start.slice();
  extraQueen[20] = 5;
  assert.ok(!isValidPosition(extraQueen), "a ninth queen-side piece with eight pawns");
  assert.ok(!isValidPosition(new Uint8Array(64)));
});

Deno.test("one move explains a capture or a promotion, not a piece from nowhere", () => {
  const capture = boardAfter(new Chess("4k3/8/8/3p4/4P3/8/8/4K3 w - - 0 1"), "e4d5");
  assert.ok(
    !piecesAppearOrDisappear(boardOf(new Chess("4k3/8/8/3p4/4P3/8/8/4K3 w - - 0 1")), capture),
  );
  const promotionFen = "1r2k3/P7/8/8/8/8/8/4K3 w - - 0 1";
  const promotion = boardAfter(new Chess(promotionFen), "a7b8q");
  assert.ok(!piecesAppearOrDisappear(boardOf(new Chess(promotionFen)), promotion));
  assert.ok(!piecesAppearOrDisappear(start, start));
  const extraQueen = start.slice();
  extraQueen[20] = 5;
  assert.ok(piecesAppearOrDisappear(start, extraQueen));
  const lostRook = start.slice();
  lostRook[0] = 0;
  assert.ok(piecesAppearOrDisappear(start, lostRook), "the mover cannot lose a piece");
  const twoCaptured = start.slice();
  twoCaptured[56] = 0;
  twoCaptured[63] = 0;
  assert.ok(piecesAppearOrDisappear(start, twoCaptured));
});
