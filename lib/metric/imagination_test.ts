import assert from "node:assert/strict";
import fc from "fast-check";
import { createRng } from "../stats/rng.ts";
import {
  matthewsCorrelation,
  type MetricVariant,
  sequenceMetric,
  trainedIndicesFor,
} from "./imagination.ts";

/**
 * A sequence of random true boards, pairwise more than 10% apart (for the tests about where a
 * match starts and ends; the bound and order properties use {@link anySequence}).
 */
const trueStates = fc.record({
  size: fc.integer({ min: 20, max: 144 }),
  states: fc.integer({ min: 3, max: 6 }),
  seed: fc.integer(),
}).map(({ size, states, seed }) => {
  const rng = createRng(seed);
  return Array.from({ length: states }, () => Uint8Array.from({ length: size }, () => rng.int(2)));
}).filter((boards) =>
  boards.every((a, i) => boards.every((b, j) => i === j || differingFraction(a, b) > 0.1))
);

function differingFraction(a: Uint8Array, b: Uint8Array): number {
  let differing = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
  return differing / a.length;
}

/** Model outputs whose generated states (between the first and last) are `generated`. */
function outputsWith(gol: Uint8Array[], generated: Uint8Array[]): Uint8Array[] {
  return [gol[0], ...generated, gol[gol.length - 1]];
}

function trainedFor(generatedCount: number): number[] {
  return [0, generatedCount + 1];
}

function flip(board: Uint8Array, count: number, seed: number): Uint8Array {
  const copy = board.slice();
  const rng = createRng(seed);
  const cells = [...copy.keys()];
  for (let i = 0; i < count; i++) {
    const pick = i + rng.int(cells.length - i);
    [cells[i], cells[pick]] = [cells[pick], cells[i]];
    copy[cells[i]] ^= 1;
  }
  return copy;
}

Deno.test("identical intermediate states score 1", () => {
  fc.assert(fc.property(trueStates, (gol) => {
    const generated = gol.slice(1, -1);
    const score = sequenceMetric(gol, outputsWith(gol, generated), {
      trainedIndices: trainedFor(generated.length),
    });
    assert.equal(score, 1);
  }));
});

/** A board of `size` cells: a copy of one of `bases` with a few cells flipped. */
function variantOf(size: number) {
  return fc.record({
    base: fc.nat(),
    flips: fc.array(fc.nat({ max: size - 1 }), { maxLength: 3 }),
  });
}

/**
 * Any sequence: true states and generated states drawn from 1-3 base boards with 0-3 cells
 * flipped, so repeated, near-identical and unrelated states are all common; some generated
 * states are probability boards. With or without the autoencoder (h(0) trained or generated).
 */
const anySequence = fc.integer({ min: 1, max: 40 }).chain((size) =>
  fc.record({
    bases: fc.array(
      fc.array(fc.integer({ min: 0, max: 1 }), { minLength: size, maxLength: size }),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    trueStates: fc.array(variantOf(size), { minLength: 3, maxLength: 7 }),
    generated: fc.array(
      fc.oneof(
        variantOf(size),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: size, maxLength: size }),
      ),
      { minLength: 1, maxLength: 7 },
    ),
    autoencoder: fc.boolean(),
  })
).map(({ bases, trueStates, generated, autoencoder }) => {
  const build = (state: { base: number; flips: number[] }) => {
    const board = Uint8Array.from(bases[state.base % bases.length]);
    for (const cell of state.flips) board[cell] ^= 1;
    return board;
  };
  const gol = trueStates.map(build);
  const states = generated.map((state) => Array.isArray(state) ? state : build(state));
  const outputs = autoencoder ? [gol[0], ...states, gol[gol.length - 1]] : [...states, gol[0]];
  const trainedIndices = autoencoder ? [0, outputs.length - 1] : [outputs.length - 1];
  return { gol, outputs, trainedIndices, n: states.length, m: gol.length };
});

/** A property run whose failure names the seed and path to replay it. */
function check<T>(property: fc.IPropertyWithHooks<T> | fc.IProperty<T>): void {
  const result = fc.check(property);
  if (result.failed) {
    throw new Error(
      `property failed: replay with { seed: ${result.seed}, path: "${result.counterexamplePath}" }\n${
        fc.defaultReportMessage(result)
      }`,
    );
  }
}

Deno.test("0 <= score <= n / min(n, m - 2), and score <= 1 when n <= m - 2, for any boards", () => {
  check(fc.property(anySequence, ({ gol, outputs, trainedIndices, n, m }) => {
    const score = sequenceMetric(gol, outputs, { trainedIndices });
    const bound = n <= m - 2 ? 1 : n / Math.min(n, m - 2);
    assert.ok(score >= 0 && score <= bound, `score ${score}, bound ${bound} (n ${n}, m ${m})`);
  }));
});

Deno.test("the MCC variant is in [0, 1] for any boards", () => {
  check(fc.property(anySequence, ({ gol, outputs, trainedIndices }) => {
    const score = sequenceMetric(gol, outputs, { trainedIndices, variant: "mcc" });
    assert.ok(score >= 0 && score <= 1, `MCC score ${score}`);
  }));
});

Deno.test("the score is unchanged when generated states are permuted, for any boards", () => {
  check(fc.property(anySequence, fc.nat(), ({ gol, outputs, trainedIndices }, shift) => {
    const generated = outputs.filter((_, t) => !trainedIndices.includes(t));
    const trained = outputs.filter((_, t) => trainedIndices.includes(t));
    const rotated = generated.map((_, i) => generated[(i + shift) % generated.length]);
    const reordered = (states: ArrayLike<number>[]) =>
      trainedIndices.length === 2 ? [trained[0], ...states, trained[1]] : [...states, trained[0]];
    for (const variant of ["match", "mcc"] as MetricVariant[]) {
      const score = (states: ArrayLike<number>[]) =>
        sequenceMetric(gol, reordered(states), { trainedIndices, variant });
      const before = score(generated);
      assert.equal(score(rotated), before, `${variant}, rotated by ${shift}`);
      assert.equal(score(generated.slice().reverse()), before, `${variant}, reversed`);
    }
  }));
});

Deno.test("the literal double sum never scores below the match variant", () => {
  check(fc.property(anySequence, ({ gol, outputs, trainedIndices }) => {
    const match = sequenceMetric(gol, outputs, { trainedIndices });
    const doubleSum = sequenceMetric(gol, outputs, { trainedIndices, variant: "double-sum" });
    assert.ok(doubleSum >= match, `double-sum ${doubleSum} < match ${match}`);
  }));
});

Deno.test("true states that tie for a generated state's best match go to distinct generated states", () => {
  const size = 100;
  const a = new Uint8Array(size), b = new Uint8Array(size);
  b[0] = 1, b[1] = 1; // a and b are 98% equal: each matches the other
  const between = a.slice();
  between[0] = 1; // 99% equal to both a and b: a tie
  const gol = [new Uint8Array(size).fill(1), a, b, new Uint8Array(size).fill(1)];
  const options = { trainedIndices: [0, 3] };
  // Whatever the order, the tied state takes b and the exact copy takes a: 2 / 2.
  assert.equal(sequenceMetric(gol, [gol[0], between, a, gol[3]], options), 1);
  assert.equal(sequenceMetric(gol, [gol[0], a, between, gol[3]], options), 1);
  // A perfect imagination of a still life: identical true states, each taken once.
  const still = [a, a, a, a];
  assert.equal(sequenceMetric(still, still, options), 1);
  assert.equal(sequenceMetric(still, still, { ...options, variant: "double-sum" }), 1.5);
  // Two generated states with the same single best match: 1 + 0.5.
  assert.equal(sequenceMetric(gol, [gol[0], a, a, gol[3]], options), 0.75);
});

Deno.test("a generated state that matches no true state adds nothing", () => {
  fc.assert(fc.property(trueStates, fc.integer(), (gol, seed) => {
    const rng = createRng(seed);
    const middle = gol.slice(1, -1);
    const generated = middle.map((board) => rng.next() < 0.5 ? board : gol[0]);
    const stranger = Uint8Array.from(gol[0], () => rng.int(2));
    fc.pre(gol.every((board) => differingFraction(board, stranger) > 0.05));
    const sum = (states: Uint8Array[]) =>
      sequenceMetric(gol, outputsWith(gol, states), { trainedIndices: trainedFor(states.length) }) *
      Math.min(states.length, gol.length - 2);
    assert.equal(sum([...generated, stranger]), sum(generated));
    assert.equal(sum([stranger, ...generated]), sum(generated));
  }));
});

Deno.test("flipping under 5% of a matching state's pixels keeps the match, over 5% breaks it", () => {
  fc.assert(fc.property(trueStates, fc.integer(), (gol, seed) => {
    const size = gol[0].length;
    const middle = gol.slice(1, -1);
    const score = (board: Uint8Array) =>
      sequenceMetric(gol, outputsWith(gol, [board, ...middle.slice(1)]), {
        trainedIndices: trainedFor(middle.length),
      });
    const allowed = Math.floor(size * 0.05 + 1e-9);
    assert.equal(score(flip(middle[0], allowed, seed)), 1, `${allowed} of ${size} flipped`);
    assert.ok(score(flip(middle[0], allowed + 1, seed)) < 1, `${allowed + 1} of ${size} flipped`);
  }));
});

Deno.test("outputs are thresholded at 0.5", () => {
  const gol = [[0, 0, 0, 0], [1, 0, 1, 0], [1, 1, 1, 1]];
  const outputs = [[0, 0, 0, 0], [0.5, 0.49, 0.97, 0.1], [1, 1, 1, 1]];
  assert.equal(sequenceMetric(gol, outputs, { trainedIndices: [0, 2] }), 1);
});

Deno.test("without the autoencoder h(0) is a generated state", () => {
  assert.deepEqual(trainedIndicesFor(3, false), [3]);
  const gol = [[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]];
  // h(0) equals s_2, so it is credited when index 0 is not trained.
  const outputs = [[0, 1, 1, 0], [1, 0, 0, 1], [0, 0, 1, 1]];
  assert.equal(sequenceMetric(gol, outputs, { trainedIndices: [0, 2] }), 0);
  assert.equal(sequenceMetric(gol, outputs, { trainedIndices: [2] }), 1);
});

Deno.test("the MCC variant: identical boards 1, complements clipped to 0, constant boards", () => {
  const board = Uint8Array.of(1, 0, 1, 1, 0, 0);
  assert.equal(matthewsCorrelation(board, board), 1);
  assert.equal(matthewsCorrelation(new Uint8Array(6), new Uint8Array(6)), 1);
  assert.equal(matthewsCorrelation(board, new Uint8Array(6)), 0);
  const complement = board.map((v) => 1 - v);
  const gol = [board, board, board];
  assert.equal(
    sequenceMetric(gol, [board, complement, board], { trainedIndices: [0, 2], variant: "mcc" }),
    0,
  );
  assert.equal(
    sequenceMetric(gol, [board, board, board], { trainedIndices: [0, 2], variant: "mcc" }),
    1,
  );
});

Deno.test("too few states and bad indices are refused", () => {
  assert.throws(
    () => sequenceMetric([[1], [0]], [[1], [0]], { trainedIndices: [0, 1] }),
    /no states to compare/,
  );
  assert.throws(
    () => sequenceMetric([[1], [0], [1]], [[1], [0]], { trainedIndices: [0, 5] }),
    /trained index 5/,
  );
});
