import assert from "node:assert/strict";
import fc from "fast-check";
import { createRng } from "../stats/rng.ts";
import { matthewsCorrelation, sequenceMetric, trainedIndicesFor } from "./imagination.ts";

/** A sequence of random true boards, pairwise more than 10% apart, and its size. */
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

Deno.test("the score is unchanged when intermediate states are permuted (n = m - 2)", () => {
  fc.assert(fc.property(
    trueStates,
    fc.integer(),
    fc.integer(),
    (gol, pickSeed, orderSeed) => {
      // Generated states: a random mix of true intermediates (repeats allowed) and noise.
      const pick = createRng(pickSeed);
      const middle = gol.slice(1, -1);
      const generated = middle.map(() =>
        pick.next() < 0.8
          ? middle[pick.int(middle.length)]
          : Uint8Array.from(gol[0], () => pick.int(2))
      );
      const order = createRng(orderSeed);
      const shuffled = generated.slice().sort(() => order.next() - 0.5);
      const options = { trainedIndices: trainedFor(generated.length) };
      const before = sequenceMetric(gol, outputsWith(gol, generated), options);
      const after = sequenceMetric(gol, outputsWith(gol, shuffled), options);
      const golShuffled = [gol[0], ...middle.slice().reverse(), gol[gol.length - 1]];
      assert.equal(after, before);
      assert.equal(sequenceMetric(golShuffled, outputsWith(gol, generated), options), before);
    },
  ));
});

Deno.test("0 <= score <= n / min(n, m - 2)", () => {
  fc.assert(fc.property(
    trueStates,
    fc.integer({ min: 1, max: 6 }),
    fc.integer(),
    (gol, generatedCount, seed) => {
      const rng = createRng(seed);
      const generated = Array.from(
        { length: generatedCount },
        () =>
          rng.next() < 0.7
            ? flip(gol[rng.int(gol.length)], rng.int(4), rng.uint32())
            : Uint8Array.from(gol[0], () => rng.int(2)),
      );
      const score = sequenceMetric(gol, outputsWith(gol, generated), {
        trainedIndices: trainedFor(generatedCount),
      });
      const bound = generatedCount / Math.min(generatedCount, gol.length - 2);
      assert.ok(score >= 0 && score <= bound, `score ${score}, bound ${bound}`);
    },
  ));
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
