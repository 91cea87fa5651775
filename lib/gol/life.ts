/**
 * Conway's Game of Life on finite boards, seeded random boards, and the sequence datasets
 * the paper trains on.
 *
 * Boards are row-major `Uint8Array`s of 0 (dead) and 1 (alive). Beyond the edge every cell
 * is dead, as in the reference implementation; `torus: true` wraps the edges instead.
 *
 * @module
 */
import { createRng, deriveSeed, type Rng } from "../stats/rng.ts";

/** Board geometry shared by every function here. */
export interface BoardShape {
  /** Number of rows (>= 1). */
  rows: number;
  /** Number of columns (>= 1). */
  cols: number;
}

/** Options of a single Game of Life step. */
export interface StepOptions {
  /** Wrap the edges (torus) instead of treating cells beyond the edge as dead. */
  torus?: boolean;
}

function assertShape(shape: BoardShape): void {
  for (const key of ["rows", "cols"] as const) {
    const value = shape[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`board ${key} ${value}: expected an integer >= 1`);
    }
  }
}

/**
 * Writes one Game of Life step of `board` into `out` (which must not alias `board`).
 * A live cell survives with 2 or 3 live neighbours; a dead cell is born with exactly 3.
 *
 * @example
 * ```ts
 * const blinker = Uint8Array.from([0, 0, 0, 1, 1, 1, 0, 0, 0]);
 * const next = lifeStep(blinker, { rows: 3, cols: 3 }); // vertical bar
 * ```
 */
export function lifeStep(
  board: Uint8Array,
  shape: BoardShape,
  options: StepOptions & { out?: Uint8Array; offset?: number; outOffset?: number } = {},
): Uint8Array {
  const { rows, cols } = shape;
  const offset = options.offset ?? 0;
  const outOffset = options.outOffset ?? 0;
  const out = options.out ?? new Uint8Array(rows * cols);
  if (options.torus) {
    torusStep(board, out, rows, cols, offset, outOffset);
    return out;
  }
  // Column sums of three rows, padded by one dead column on each side.
  const sums = new Uint8Array(cols + 2);
  for (let r = 0; r < rows; r++) {
    const here = offset + r * cols;
    const above = here - cols;
    const below = here + cols;
    const hasAbove = r > 0;
    const hasBelow = r < rows - 1;
    for (let c = 0; c < cols; c++) {
      sums[c + 1] = board[here + c] + (hasAbove ? board[above + c] : 0) +
        (hasBelow ? board[below + c] : 0);
    }
    const target = outOffset + r * cols;
    for (let c = 0; c < cols; c++) {
      const alive = board[here + c];
      // Total of the 3x3 block minus the cell itself = live neighbours.
      const neighbours = sums[c] + sums[c + 1] + sums[c + 2] - alive;
      out[target + c] = (neighbours === 3 || (alive === 1 && neighbours === 2)) ? 1 : 0;
    }
  }
  return out;
}

function torusStep(
  board: Uint8Array,
  out: Uint8Array,
  rows: number,
  cols: number,
  offset: number,
  outOffset: number,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let neighbours = 0;
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          if (dr === 0 && dc === 0) continue;
          const rr = (r + dr + rows) % rows;
          const cc = (c + dc + cols) % cols;
          neighbours += board[offset + rr * cols + cc];
        }
      }
      const alive = board[offset + r * cols + c];
      out[outOffset + r * cols + c] = (neighbours === 3 || (alive === 1 && neighbours === 2))
        ? 1
        : 0;
    }
  }
}

/**
 * A random board: each cell alive with probability `aliveProbability` (default 0.5, as the
 * reference).
 *
 * @example
 * ```ts
 * const board = randomBoard({ rows: 20, cols: 20 }, createRng(1));
 * ```
 */
export function randomBoard(
  shape: BoardShape,
  rng: Rng,
  options: { aliveProbability?: number; out?: Uint8Array; offset?: number } = {},
): Uint8Array {
  assertShape(shape);
  const size = shape.rows * shape.cols;
  const out = options.out ?? new Uint8Array(size);
  const offset = options.offset ?? 0;
  const probability = options.aliveProbability ?? 0.5;
  if (probability === 0.5) {
    // One random bit per cell: 32 cells per draw.
    for (let i = 0; i < size; i += 32) {
      let bits = rng.uint32();
      const end = Math.min(32, size - i);
      for (let b = 0; b < end; b++) {
        out[offset + i + b] = bits & 1;
        bits >>>= 1;
      }
    }
  } else {
    for (let i = 0; i < size; i++) out[offset + i] = rng.next() < probability ? 1 : 0;
  }
  return out;
}

/**
 * A set of Game of Life sequences, `count` x `states` x `rows` x `cols`, stored bit-packed:
 * each row is `wordsPerRow` 32-bit words, cell `c` in bit `c % 32` of word `c >> 5`. Packing
 * makes generation and storage about eight times cheaper than one byte per cell; use
 * {@link stateOf} or {@link unpackStates} to read boards.
 */
export interface GolSequences extends BoardShape {
  /** Number of sequences. */
  count: number;
  /** States per sequence: GoL timesteps + 1 (s_1 .. s_m in the paper). */
  states: number;
  /** 32-bit words per board row: ceil(cols / 32). */
  wordsPerRow: number;
  /** The packed cells. */
  words: Int32Array;
}

/** Options of {@link generateSequences}. */
export interface SequenceOptions extends BoardShape, StepOptions {
  /** Number of sequences to generate. */
  count: number;
  /** Game of Life steps per sequence; each sequence holds `golTimesteps + 1` states. */
  golTimesteps: number;
  /** Probability that a sequence starts from a fresh random board (reference: 0.1). */
  freshProbability?: number;
  /** Probability that a fresh board's cell is alive (reference: 0.5). */
  aliveProbability?: number;
}

/**
 * Generates sequences with the reference implementation's chaining: a sequence starts from a
 * fresh random board with probability `freshProbability` (0.1), otherwise from the second
 * state of the previous sequence. The first sequence always starts fresh.
 *
 * @example
 * ```ts
 * const train = generateSequences({ count: 1000, rows: 20, cols: 20, golTimesteps: 3 }, 7);
 * stateOf(train, 0, 3); // the last board of the first sequence
 * ```
 */
export function generateSequences(options: SequenceOptions, seed: number): GolSequences {
  assertShape(options);
  const { rows, cols, count, golTimesteps } = options;
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`sequence count ${count}: expected an integer >= 0`);
  }
  if (!Number.isInteger(golTimesteps) || golTimesteps < 1) {
    throw new RangeError(`golTimesteps ${golTimesteps}: expected an integer >= 1`);
  }
  const aliveProbability = options.aliveProbability ?? 0.5;
  const freshProbability = options.freshProbability ?? 0.1;
  const rng = createRng(seed);
  const states = golTimesteps + 1;
  const wordsPerRow = Math.ceil(cols / 32);
  const boardWords = rows * wordsPerRow;
  const set: GolSequences = {
    rows,
    cols,
    count,
    states,
    wordsPerRow,
    words: new Int32Array(count * states * boardWords),
  };
  const { words } = set;
  const lastMask = cols % 32 === 0 ? -1 : (1 << (cols % 32)) - 1;
  const scratch = options.torus ? new Uint8Array(rows * cols) : null;
  const geometry = { rows, wordsPerRow, lastMask };
  const low = new Int32Array(boardWords), high = new Int32Array(boardWords);
  for (let s = 0; s < count; s++) {
    const start = s * states * boardWords;
    if (s === 0 || rng.next() < freshProbability) {
      for (let i = 0; i < boardWords; i++) {
        let word = 0;
        if (aliveProbability === 0.5) word = rng.uint32() | 0;
        else for (let b = 0; b < 32; b++) if (rng.next() < aliveProbability) word |= 1 << b;
        words[start + i] = (i % wordsPerRow === wordsPerRow - 1) ? word & lastMask : word;
      }
    } else {
      const previousSecond = (s - 1) * states * boardWords + boardWords;
      words.copyWithin(start, previousSecond, previousSecond + boardWords);
    }
    for (let t = 1; t < states; t++) {
      const from = start + (t - 1) * boardWords;
      if (scratch) {
        const board = unpackBoard(set, from);
        lifeStep(board, options, { torus: true, out: scratch });
        packBoard(set, scratch, from + boardWords);
      } else {
        packedStep(words, from, from + boardWords, geometry, low, high);
      }
    }
  }
  return set;
}

/**
 * One dead-edged step on packed rows: horizontal 3-cell sums as two bit planes, then a
 * bit-parallel adder over three rows gives each 3x3 block's total (about 25 word operations
 * per 32 cells). `low` and `high` are scratch arrays of one board's words.
 */
function packedStep(
  words: Int32Array,
  from: number,
  to: number,
  shape: { rows: number; wordsPerRow: number; lastMask: number },
  low: Int32Array,
  high: Int32Array,
): void {
  const { rows, wordsPerRow, lastMask } = shape;
  const boardWords = rows * wordsPerRow;
  for (let i = 0; i < boardWords; i++) {
    const w = i % wordsPerRow;
    const centre = words[from + i];
    const before = w > 0 ? words[from + i - 1] : 0;
    const after = w < wordsPerRow - 1 ? words[from + i + 1] : 0;
    const left = ((centre << 1) | (before >>> 31)) & (w === wordsPerRow - 1 ? lastMask : -1);
    const right = (centre >>> 1) | (after << 31);
    low[i] = left ^ centre ^ right;
    high[i] = (left & centre) | (right & (left ^ centre));
  }
  for (let i = 0; i < boardWords; i++) {
    const hasAbove = i >= wordsPerRow, hasBelow = i < boardWords - wordsPerRow;
    const lowAbove = hasAbove ? low[i - wordsPerRow] : 0;
    const highAbove = hasAbove ? high[i - wordsPerRow] : 0;
    const lowBelow = hasBelow ? low[i + wordsPerRow] : 0;
    const highBelow = hasBelow ? high[i + wordsPerRow] : 0;
    const lowHere = low[i], highHere = high[i];
    const s0 = lowAbove ^ lowHere ^ lowBelow;
    const carry0 = (lowAbove & lowHere) | (lowBelow & (lowAbove ^ lowHere));
    const partial = highAbove ^ highHere ^ highBelow;
    const carry1 = (highAbove & highHere) | (highBelow & (highAbove ^ highHere));
    const s1 = partial ^ carry0;
    const carry2 = partial & carry0;
    const s2 = carry1 ^ carry2;
    const s3 = carry1 & carry2;
    // Block total 3 (born, or survives with 2 neighbours) or 4 with the cell alive.
    const totalThree = s0 & s1 & ~s2;
    const totalFour = ~s0 & ~s1 & s2 & words[from + i];
    words[to + i] = (totalThree | totalFour) & ~s3;
  }
}

function unpackBoard(set: GolSequences, wordOffset: number, out?: Uint8Array): Uint8Array {
  const { rows, cols, wordsPerRow, words } = set;
  const board = out ?? new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      board[r * cols + c] = (words[wordOffset + r * wordsPerRow + (c >> 5)] >>> (c & 31)) & 1;
    }
  }
  return board;
}

function packBoard(set: GolSequences, board: Uint8Array, wordOffset: number): void {
  const { rows, cols, wordsPerRow, words } = set;
  words.fill(0, wordOffset, wordOffset + rows * wordsPerRow);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (board[r * cols + c]) words[wordOffset + r * wordsPerRow + (c >> 5)] |= 1 << (c & 31);
    }
  }
}

/**
 * One board of a sequence set, unpacked to one byte per cell.
 *
 * @example
 * ```ts
 * const set = generateSequences({ count: 10, rows: 8, cols: 8, golTimesteps: 2 }, 1);
 * const last = stateOf(set, 0, set.states - 1);
 * ```
 */
export function stateOf(set: GolSequences, sequence: number, state: number): Uint8Array {
  const boardWords = set.rows * set.wordsPerRow;
  return unpackBoard(set, (sequence * set.states + state) * boardWords);
}

/**
 * Unpacks chosen states of chosen sequences into a float batch laid out
 * `[sequences.length][states.length][rows][cols]` (as TF.js NHWC images with one channel,
 * once reshaped). This is how training batches are built without a byte copy of the set.
 *
 * @example
 * ```ts
 * const set = generateSequences({ count: 10, rows: 8, cols: 8, golTimesteps: 2 }, 1);
 * const batch = unpackStates(set, [3, 5], [0, 2]); // 2 sequences x first and last state
 * ```
 */
export function unpackStates(
  set: GolSequences,
  sequences: ArrayLike<number>,
  states: ArrayLike<number>,
  out?: Float32Array,
): Float32Array {
  const { rows, cols, wordsPerRow, words } = set;
  const size = rows * cols;
  const boardWords = rows * wordsPerRow;
  const batch = out ?? new Float32Array(sequences.length * states.length * size);
  let index = 0;
  for (let i = 0; i < sequences.length; i++) {
    for (let j = 0; j < states.length; j++) {
      const base = (sequences[i] * set.states + states[j]) * boardWords;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          batch[index++] = (words[base + r * wordsPerRow + (c >> 5)] >>> (c & 31)) & 1;
        }
      }
    }
  }
  return batch;
}

/** Which of a run's two datasets: the training set or the held-out evaluation set. */
export type RunDataset = "train" | "eval";

/**
 * A run's training or held-out sequences: the same seed and dataset always give the same
 * boards, so trainers, figures and reports that redraw a run's held-out set agree.
 *
 * @example
 * ```ts
 * const heldOut = runSequences({ boardSize: 8, golTimesteps: 3 }, "eval", 1000, 7);
 * ```
 */
export function runSequences(
  config: { boardSize: number; golTimesteps: number },
  dataset: RunDataset,
  count: number,
  seed: number,
): GolSequences {
  return generateSequences(
    { rows: config.boardSize, cols: config.boardSize, golTimesteps: config.golTimesteps, count },
    deriveSeed(seed, `${dataset}-data`),
  );
}
