import assert from "node:assert/strict";
import { Chess } from "chess.js";
import {
  chosenMove,
  POLICY_GATHER,
  POLICY_MOVE_NAMES,
  POLICY_MOVES,
  policyIndex,
} from "./policy.ts";

Deno.test("the move table is Lc0's: 1858 moves in its order", () => {
  assert.equal(POLICY_MOVE_NAMES.length, POLICY_MOVES);
  assert.deepEqual(POLICY_MOVE_NAMES.slice(0, 13), [
    "a1b1",
    "a1c1",
    "a1d1",
    "a1e1",
    "a1f1",
    "a1g1",
    "a1h1",
    "a1a2",
    "a1b2",
    "a1c2",
    "a1a3",
    "a1b3",
    "a1c3",
  ]);
  assert.deepEqual(POLICY_MOVE_NAMES.slice(1792, 1795), ["a7a8q", "a7a8r", "a7a8b"]);
  assert.equal(POLICY_MOVE_NAMES[POLICY_MOVES - 1], "h7h8b");
  assert.equal(new Set(POLICY_MOVE_NAMES).size, POLICY_MOVES);
});

Deno.test("every move has its own place in the 8x8x73 policy planes", () => {
  assert.equal(new Set(POLICY_GATHER).size, POLICY_MOVES);
  assert.ok(POLICY_GATHER.every((index) => index >= 0 && index < 64 * 73));
});

Deno.test("black's moves, castling and promotions are indexed as Lc0 does", () => {
  const name = (fen: string, san: string) =>
    POLICY_MOVE_NAMES[policyIndex(new Chess(fen).move(san))];
  assert.equal(name("rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq - 0 1", "e5"), "e2e4");
  assert.equal(name("r3k2r/8/8/8/8/8/8/R3K2R w KQkq - 0 1", "O-O"), "e1h1");
  assert.equal(name("r3k2r/8/8/8/8/8/8/R3K2R b KQkq - 0 1", "O-O-O"), "e1a1");
  assert.equal(name("8/1P5k/8/8/8/8/8/K7 w - - 0 1", "b8=Q"), "b7b8q");
  assert.equal(name("8/1P5k/8/8/8/8/8/K7 w - - 0 1", "b8=N"), "b7b8");
});

Deno.test("the chosen move is the legal move with the highest policy value", () => {
  const chess = new Chess();
  const policy = new Float32Array(POLICY_MOVES);
  policy[POLICY_MOVE_NAMES.indexOf("a1a8")] = 10; // not legal here
  policy[POLICY_MOVE_NAMES.indexOf("g1f3")] = 5;
  assert.equal(chosenMove(chess, policy)?.lan, "g1f3");
  assert.equal(chosenMove(new Chess("7k/5Q2/6K1/8/8/8/8/8 b - - 0 1"), policy), null);
});
