import assert from "node:assert/strict";
import fc from "fast-check";
import { generateSequences, stateOf } from "../gol/life.ts";
import {
  alignedGameIndex,
  boardCorrelation,
  pearsonCorrelation,
  sequenceCorrelation,
} from "./correlation.ts";

const board = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 1 }), { minLength: length, maxLength: length });

/** A non-constant 0/1 board of 16 cells. */
const varied = board(16).filter((b) => b.includes(0) && b.includes(1));

Deno.test("a board correlates 1 with itself and -1 with its inverse", () => {
  fc.assert(
    fc.property(varied, (truth) => {
      assert.ok(Math.abs(pearsonCorrelation(truth, truth) - 1) < 1e-12);
      assert.ok(Math.abs(pearsonCorrelation(truth.map((v) => 1 - v), truth) + 1) < 1e-12);
    }),
  );
});

Deno.test("Pearson's r is unchanged when decoded values are scaled and shifted", () => {
  fc.assert(
    fc.property(
      varied,
      fc.array(fc.double({ min: -1, max: 2, noNaN: true }), { minLength: 16, maxLength: 16 }),
      fc.double({ min: 0.1, max: 10, noNaN: true }),
      fc.double({ min: -5, max: 5, noNaN: true }),
      (truth, decoded, scale, shift) => {
        fc.pre(Math.max(...decoded) - Math.min(...decoded) > 1e-3);
        const moved = decoded.map((v) => v * scale + shift);
        const difference = pearsonCorrelation(moved, truth) - pearsonCorrelation(decoded, truth);
        assert.ok(Math.abs(difference) < 1e-9);
      },
    ),
  );
});

Deno.test("a constant board scores 1 when the thresholded decoding equals it, else 0", () => {
  const dead = [0, 0, 0, 0];
  assert.equal(pearsonCorrelation([0.1, 0.4, 0.2, 0.3], dead), 1);
  assert.equal(pearsonCorrelation([0.1, 0.6, 0.2, 0.3], dead), 0);
  assert.equal(pearsonCorrelation([0.7, 0.7, 0.7, 0.7], [1, 1, 1, 1]), 1);
  // A constant decoding of a non-constant board: r is undefined, and the boards differ.
  assert.equal(pearsonCorrelation([0.2, 0.2, 0.2, 0.2], [0, 1, 0, 0]), 0);
});

Deno.test("boards of different sizes are refused with both sizes named", () => {
  assert.throws(() => pearsonCorrelation([1, 0], [1, 0, 1]), /boards of 2 and 3 pixels/);
});

Deno.test("the MCC variant thresholds the decoded board at 0.5", () => {
  assert.equal(boardCorrelation([0.9, 0.1, 0.6, 0.2], [1, 0, 1, 0], "mcc"), 1);
  assert.ok(Math.abs(boardCorrelation([0.9, 0.1, 0.4, 0.2], [1, 0, 1, 0], "mcc") - 0.57735) < 1e-4);
});

Deno.test("aligned pairing sends the last LSTM state to the last GoL state, never to s_1", () => {
  for (let n = 1; n <= 8; n++) {
    for (let k = 1; k <= 8; k++) {
      const indices = Array.from({ length: n }, (_, i) => alignedGameIndex(i + 1, n, k));
      assert.equal(indices.at(-1), k, `n=${n}, k=${k}`);
      assert.ok(indices.every((index, i) => index >= 1 && (i === 0 || index >= indices[i - 1])));
    }
  }
  assert.deepEqual([1, 2, 3].map((t) => alignedGameIndex(t, 3, 2)), [1, 2, 2]);
  assert.deepEqual([1, 2].map((t) => alignedGameIndex(t, 2, 3)), [2, 3]);
});

/** Real GoL sequences: s_1..s_m, 0/1 boards. */
function sequences(golTimesteps: number, count: number, seed: number): Uint8Array[][] {
  const set = generateSequences(
    { rows: 8, cols: 8, golTimesteps, count, freshProbability: 1 },
    seed,
  );
  return Array.from(
    { length: count },
    (_, s) => Array.from({ length: set.states }, (_, t) => stateOf(set, s, t)),
  );
}

Deno.test("decoding every later state exactly scores 1 with both pairings and measures", () => {
  for (const gol of sequences(3, 20, 1)) {
    for (const measure of ["pearson", "mcc"] as const) {
      for (const pairing of ["best", "aligned"] as const) {
        assert.equal(sequenceCorrelation(gol, gol.slice(1), { measure, pairing }), 1);
      }
    }
  }
});

Deno.test("best pairing is unchanged when the decoded states are permuted", () => {
  const all = sequences(3, 30, 2);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: all.length - 1 }),
      fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }),
      fc.double({ min: 0, max: 0.4, noNaN: true }),
      (s, order, noise) => {
        const gol = all[s];
        const decoded = gol.slice(1).map((b, i) =>
          Array.from(b, (v, c) => v + noise * Math.sin(c * (i + 1)))
        );
        const permuted = order.map((i) => decoded[i]);
        const difference = sequenceCorrelation(gol, permuted) - sequenceCorrelation(gol, decoded);
        assert.ok(Math.abs(difference) < 1e-12);
      },
    ),
  );
});

Deno.test("the initial state is excluded and the final one included", () => {
  for (const gol of sequences(2, 20, 3).filter((g) => g[1].some((v, i) => v !== g[0][i]))) {
    const copies = [gol[0], gol[0]];
    const expected = (pearsonCorrelation(gol[0], gol[1]) + pearsonCorrelation(gol[0], gol[2])) / 2;
    assert.ok(Math.abs(sequenceCorrelation(gol, copies) - expected) < 1e-12);
    // Only the final state decoded well: it counts, for one of the two true states.
    const finalOnly = sequenceCorrelation(gol, [gol[2]]);
    assert.ok(Math.abs(finalOnly - (pearsonCorrelation(gol[2], gol[1]) + 1) / 2) < 1e-12);
  }
});

Deno.test("with fewer LSTM than GoL states one decoded state may stand for several", () => {
  const [gol] = sequences(3, 1, 4);
  const value = sequenceCorrelation(gol, [gol[1], gol[3]]);
  const expected = (1 + Math.max(
    pearsonCorrelation(gol[1], gol[2]),
    pearsonCorrelation(gol[3], gol[2]),
  ) + 1) / 3;
  assert.ok(Math.abs(value - expected) < 1e-12);
});

Deno.test("a sequence without a later state or a decoded state is refused", () => {
  assert.throws(() => sequenceCorrelation([[1, 0]], [[1, 0]]), /expected >= 2 true states/);
  assert.throws(() => sequenceCorrelation([[1, 0], [0, 1]], []), /and >= 1 decoded state/);
});
