/**
 * Reading a metric input file: `{ "gol": [...], "generated": [...], "trainedIndices": [...] }`
 * with `gol` sequences x states x rows x cols of 0/1 and `generated` sequences x model outputs
 * x rows x cols of probabilities in [0, 1]. Every problem is reported as one line naming the
 * field and, for a bad value, its position.
 *
 * @module
 */

/** A validated metric input. */
export interface MetricInput {
  /** True states, flattened boards: sequences x states. */
  gol: number[][][];
  /** Model outputs, flattened boards: sequences x outputs. */
  generated: number[][][];
  /** Model indices the decoder was trained on. */
  trainedIndices: number[];
}

function fail(message: string): never {
  throw new Error(message);
}

/** Checks a 4-D array of numbers with one board shape and returns flattened boards. */
function boards(value: unknown, field: string): { data: number[][][]; rows: number; cols: number } {
  if (!Array.isArray(value)) fail(`"${field}" must be an array (sequences x states x rows x cols)`);
  if (value.length === 0) fail(`"${field}" is empty: expected at least one sequence`);
  let rows = -1, cols = -1;
  const data = value.map((sequence, s) => {
    if (!Array.isArray(sequence) || sequence.length === 0) {
      fail(`"${field}"[${s}] must be a non-empty array of boards`);
    }
    return sequence.map((board: unknown, t: number) => {
      const where = `"${field}"[${s}][${t}]`;
      if (!Array.isArray(board) || board.length === 0 || !board.every(Array.isArray)) {
        fail(`${where} must be a board: an array of rows of numbers`);
      }
      const boardRows = board as unknown[][];
      if (rows < 0) [rows, cols] = [boardRows.length, boardRows[0].length];
      if (boardRows.length !== rows || boardRows.some((row) => row.length !== cols)) {
        fail(`shape mismatch: ${where} is not ${rows}x${cols} like the first board`);
      }
      const flat = boardRows.flat();
      const bad = flat.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
      if (bad >= 0) {
        const cell = `${where}[${Math.floor(bad / cols)}][${bad % cols}]`;
        // JSON.parse reads a number too large for a double (1e400) as Infinity.
        if (typeof flat[bad] === "number") {
          fail(`${cell} overflows a 64-bit float (a number like 1e400): expected a finite number`);
        }
        fail(`${cell} holds ${JSON.stringify(flat[bad])}: expected a number`);
      }
      return flat as number[];
    });
  });
  return { data, rows, cols };
}

/**
 * Parses and validates the text of a metric input file.
 *
 * @example
 * ```ts
 * const input = parseMetricInput('{"gol":[[[[0]],[[1]],[[0]]]],"generated":[[[[0]],[[1]],[[0]]]],"trainedIndices":[0,2]}');
 * ```
 */
export function parseMetricInput(text: string): MetricInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    fail(`expected an object with "gol", "generated" and "trainedIndices"`);
  }
  const object = json as Record<string, unknown>;
  for (const key of ["gol", "generated", "trainedIndices"]) {
    if (!(key in object)) fail(`missing field "${key}"`);
  }
  const gol = boards(object.gol, "gol");
  const generated = boards(object.generated, "generated");
  if (gol.data.length !== generated.data.length) {
    fail(
      `shape mismatch: ${gol.data.length} gol sequences but ${generated.data.length} generated sequences`,
    );
  }
  if (gol.rows !== generated.rows || gol.cols !== generated.cols) {
    fail(
      `shape mismatch: gol boards are ${gol.rows}x${gol.cols}, generated ${generated.rows}x${generated.cols}`,
    );
  }
  gol.data.forEach((sequence, s) => {
    if (sequence.length !== gol.data[0].length) {
      fail(
        `shape mismatch: "gol"[${s}] has ${sequence.length} states, "gol"[0] has ${
          gol.data[0].length
        }`,
      );
    }
    sequence.forEach((board, t) => {
      const bad = board.find((v) => v !== 0 && v !== 1);
      if (bad !== undefined) {
        fail(`non-binary gol value ${bad} in "gol"[${s}][${t}]: expected 0 or 1`);
      }
    });
  });
  const outputs = generated.data[0].length;
  generated.data.forEach((sequence, s) => {
    if (sequence.length !== outputs) {
      fail(
        `shape mismatch: "generated"[${s}] has ${sequence.length} outputs, "generated"[0] has ${outputs}`,
      );
    }
    sequence.forEach((board, t) => {
      const bad = board.findIndex((v) => v < 0 || v > 1);
      if (bad >= 0) {
        const cell = `"generated"[${s}][${t}][${Math.floor(bad / generated.cols)}][${
          bad % generated.cols
        }]`;
        fail(`${cell} is ${board[bad]}: expected a probability in 0..1`);
      }
    });
  });
  const indices = object.trainedIndices;
  if (!Array.isArray(indices)) fail(`"trainedIndices" must be an array of integers`);
  for (const index of indices) {
    if (!Number.isInteger(index) || index < 0 || index >= outputs) {
      fail(
        `trained index ${JSON.stringify(index)} out of range: expected an integer in 0..${
          outputs - 1
        }`,
      );
    }
  }
  return { gol: gol.data, generated: generated.data, trainedIndices: indices as number[] };
}
