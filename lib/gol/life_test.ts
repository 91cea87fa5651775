import assert from "node:assert/strict";
import fc from "fast-check";
import { createRng } from "../stats/rng.ts";
import { generateSequences, lifeStep, randomBoard, stateOf, unpackStates } from "./life.ts";

function boardFrom(picture: string[]): { board: Uint8Array; rows: number; cols: number } {
  const rows = picture.length;
  const cols = picture[0].length;
  const board = new Uint8Array(rows * cols);
  picture.forEach((line, r) =>
    [...line].forEach((ch, c) => board[r * cols + c] = ch === "#" ? 1 : 0)
  );
  return { board, rows, cols };
}

function naiveStep(board: Uint8Array, rows: number, cols: number, torus: boolean): Uint8Array {
  const out = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let count = 0;
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          if (dr === 0 && dc === 0) continue;
          let rr = r + dr, cc = c + dc;
          if (torus) {
            rr = (rr + rows) % rows;
            cc = (cc + cols) % cols;
          } else if (rr < 0 || cc < 0 || rr >= rows || cc >= cols) continue;
          count += board[rr * cols + cc];
        }
      }
      const alive = board[r * cols + c] === 1;
      out[r * cols + c] = alive ? (count === 2 || count === 3 ? 1 : 0) : (count === 3 ? 1 : 0);
    }
  }
  return out;
}

Deno.test("a blinker has period 2", () => {
  const { board, rows, cols } = boardFrom([".....", ".....", ".###.", ".....", "....."]);
  const once = lifeStep(board, { rows, cols });
  assert.deepEqual(once, boardFrom([".....", "..#..", "..#..", "..#..", "....."]).board);
  assert.notDeepEqual(once, board);
  assert.deepEqual(lifeStep(once, { rows, cols }), board);
});

Deno.test("a block is still", () => {
  const { board, rows, cols } = boardFrom(["....", ".##.", ".##.", "...."]);
  assert.deepEqual(lifeStep(board, { rows, cols }), board);
});

Deno.test("a glider moves one cell diagonally every 4 steps", () => {
  const { board, rows, cols } = boardFrom([
    ".#......",
    "..#.....",
    "###.....",
    "........",
    "........",
    "........",
    "........",
    "........",
  ]);
  let state = board;
  for (let i = 0; i < 4; i++) state = lifeStep(state, { rows, cols });
  const shifted = new Uint8Array(rows * cols);
  for (let r = 0; r < rows - 1; r++) {
    for (let c = 0; c < cols - 1; c++) shifted[(r + 1) * cols + c + 1] = board[r * cols + c];
  }
  assert.deepEqual(state, shifted);
});

Deno.test("a glider leaves a dead-edged board but wraps around a torus", () => {
  const { board, rows, cols } = boardFrom([".#...", "..#..", "###..", ".....", "....."]);
  let dead = board, torus = board;
  for (let i = 0; i < 40; i++) {
    dead = lifeStep(dead, { rows, cols });
    torus = lifeStep(torus, { rows, cols }, { torus: true });
  }
  assert.equal(torus.reduce((a, b) => a + b, 0), 5);
  assert.notEqual(dead.reduce((a, b) => a + b, 0), 5);
});

Deno.test("lifeStep agrees with a plain neighbour count on random boards of random sizes", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 24 }),
      fc.integer({ min: 1, max: 24 }),
      fc.integer(),
      fc.boolean(),
      (rows, cols, seed, torus) => {
        const board = randomBoard({ rows, cols }, createRng(seed));
        assert.deepEqual(
          lifeStep(board, { rows, cols }, { torus }),
          naiveStep(board, rows, cols, torus),
        );
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("sequences chain: a non-fresh sequence starts from the previous one's second state", () => {
  const set = generateSequences({ count: 2000, rows: 6, cols: 7, golTimesteps: 3 }, 11);
  let chained = 0;
  for (let s = 1; s < set.count; s++) {
    for (let t = 1; t < set.states; t++) {
      assert.deepEqual(stateOf(set, s, t), naiveStep(stateOf(set, s, t - 1), 6, 7, false));
    }
    const start = stateOf(set, s, 0);
    if (start.every((v, i) => v === stateOf(set, s - 1, 1)[i])) chained++;
  }
  // About 90% chain (fresh boards that happen to equal the second state are vanishingly rare).
  const fraction = chained / (set.count - 1);
  assert.ok(fraction > 0.87 && fraction < 0.93, `chained fraction ${fraction}`);
});

Deno.test("the same seed gives the same sequences and another seed different ones", () => {
  const options = { count: 50, rows: 10, cols: 10, golTimesteps: 2 };
  assert.deepEqual(generateSequences(options, 3).words, generateSequences(options, 3).words);
  assert.notDeepEqual(generateSequences(options, 3).words, generateSequences(options, 4).words);
});

Deno.test("fresh boards are alive with probability 0.5", () => {
  const board = randomBoard({ rows: 200, cols: 200 }, createRng(5));
  const fraction = board.reduce((a, b) => a + b, 0) / board.length;
  assert.ok(Math.abs(fraction - 0.5) < 0.01, `alive fraction ${fraction}`);
});

Deno.test("bad shapes are refused with a clear message", () => {
  assert.throws(
    () => generateSequences({ count: 1, rows: 0, cols: 5, golTimesteps: 2 }, 1),
    /board rows 0: expected an integer >= 1/,
  );
  assert.throws(
    () => generateSequences({ count: 1, rows: 5, cols: 5, golTimesteps: 0 }, 1),
    /golTimesteps 0/,
  );
});

Deno.test("every generated sequence follows the rules, whatever the board size", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer(),
      fc.boolean(),
      (rows, cols, golTimesteps, seed, torus) => {
        const set = generateSequences({ count: 12, rows, cols, golTimesteps, torus }, seed);
        for (let s = 0; s < set.count; s++) {
          for (let t = 1; t < set.states; t++) {
            assert.deepEqual(
              stateOf(set, s, t),
              naiveStep(stateOf(set, s, t - 1), rows, cols, torus),
            );
          }
        }
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("unpackStates lays out chosen sequences and states as floats", () => {
  const set = generateSequences({ count: 5, rows: 3, cols: 37, golTimesteps: 2 }, 9);
  const batch = unpackStates(set, [4, 1], [2, 0]);
  const expected = [stateOf(set, 4, 2), stateOf(set, 4, 0), stateOf(set, 1, 2), stateOf(set, 1, 0)];
  assert.deepEqual(Array.from(batch), expected.flatMap((board) => Array.from(board)));
});
