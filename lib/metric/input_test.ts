import assert from "node:assert/strict";
import { parseMetricInput } from "./input.ts";

const gol = [[[[0, 1]], [[1, 1]], [[0, 0]]]];
const text = (generated: string) =>
  `{"gol":${
    JSON.stringify(gol)
  },"generated":[[[[0,1]],${generated},[[0,0]]]],"trainedIndices":[0,2]}`;

Deno.test("a metric file is read as flattened boards", () => {
  const input = parseMetricInput(text("[[0.25,1]]"));
  assert.deepEqual(input.gol, [[[0, 1], [1, 1], [0, 0]]]);
  assert.deepEqual(input.generated, [[[0, 1], [0.25, 1], [0, 0]]]);
  assert.deepEqual(input.trainedIndices, [0, 2]);
});

Deno.test("generated values are probabilities: 0 and 1 pass, anything outside is refused", () => {
  assert.doesNotThrow(() => parseMetricInput(text("[[0,1]]")));
  for (const value of ["1.0000001", "-0.0001", "5", "-7"]) {
    assert.throws(
      () => parseMetricInput(text(`[[1,${value}]]`)),
      new RegExp(
        `^Error: "generated"\\[0\\]\\[1\\]\\[0\\]\\[1\\] is ${value.replace(".", "\\.")}:`,
      ),
    );
  }
});

Deno.test("a number that overflows a double is refused, not read as null", () => {
  assert.throws(() => parseMetricInput(text("[[1e400,0]]")), /\[0\]\[1\]\[0\]\[0\] overflows/);
  assert.throws(() => parseMetricInput(text("[[null,0]]")), /holds null: expected a number/);
});
