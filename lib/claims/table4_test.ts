import assert from "node:assert/strict";
import { countConverged, measureTable4, TABLE4_ROWS, table4Row, table4Specs } from "./table4.ts";
import { syntheticRun } from "./table4_test_helper.ts";

const row22 = table4Row("table4-gol2-lstm2"); // paper 0.79

Deno.test("the seven rows carry the paper's Table 4 values", () => {
  assert.deepEqual(
    TABLE4_ROWS.map((r) => [r.golTimesteps, r.lstmTimesteps, r.paperMean, r.paperRuns]),
    [[2, 2, 0.79, 8], [2, 3, 0.81, 5], [2, 4, 0.73, 9], [3, 2, 0.93, 7], [3, 3, 0.76, 8], [
      3,
      4,
      0.76,
      4,
    ], [4, 3, 0.86, 3]],
  );
  assert.throws(() => table4Row("table4-gol9-lstm9"), /expected one of table4-gol2-lstm2/);
});

Deno.test("rows share seeds, a new seed base gives new ones, paper scale runs the paper's count", () => {
  const a = table4Specs(TABLE4_ROWS[0], "quick", 1);
  const b = table4Specs(TABLE4_ROWS[1], "quick", 1);
  assert.equal(a.length, 3);
  assert.ok(a.every((spec) => spec.kind === "lstm" && spec.scale === "quick"));
  assert.deepEqual(a.map((s) => s.seed), b.map((s) => s.seed));
  assert.notDeepEqual(
    table4Specs(TABLE4_ROWS[0], "quick", 2).map((s) => s.seed),
    a.map((s) => s.seed),
  );
  assert.equal(table4Specs(TABLE4_ROWS[3], "paper", 1).length, 7);
  assert.equal((b[0].config as { model: { lstmTimesteps: number } }).model.lstmTimesteps, 3);
});

Deno.test("convergence: beating the density shortcut at quick scale, R^2 0.99 at paper scale", () => {
  assert.ok(countConverged(syntheticRun(0.8), "quick"));
  assert.ok(!countConverged(syntheticRun(0.8, { countMse: 0.005 }), "quick"));
  assert.ok(!countConverged(syntheticRun(0.8), "paper"));
  assert.ok(countConverged(syntheticRun(0.8, { reachedTarget: true }), "paper"));
  assert.ok(!countConverged({ ...syntheticRun(0.8), status: "failed", trained: null }, "quick"));
});

Deno.test("a row holds when its mean is near the paper's and above both references", () => {
  const runs = [0.74, 0.8, 0.77].map((v) => syntheticRun(v));
  const m = measureTable4(row22, runs, "quick");
  assert.ok(m.passed, JSON.stringify(m));
  assert.equal(m.converged, "3/3");
  assert.ok(Math.abs(m.estimate.value - 0.77) < 1e-12);
  assert.ok(Math.abs(m.references.copyInput.value - 0.5) < 1e-12);
});

Deno.test("a row fails below the tolerance, at or under a reference, or without enough runs", () => {
  const low = measureTable4(row22, [0.6, 0.62, 0.61].map((v) => syntheticRun(v)), "quick");
  assert.ok(!low.passed && low.contradicted, "0.61 < 0.79 - 0.15, and so is the whole CI");
  const copied = measureTable4(
    row22,
    [0.74, 0.8, 0.77].map((v) => syntheticRun(v, { copyInput: 0.78 })),
    "quick",
  );
  assert.ok(!copied.passed, "not above copying the input");
  assert.ok(!copied.contradicted, "the paired differences' CI still reaches above 0");
  const few = measureTable4(
    row22,
    [
      syntheticRun(0.8),
      syntheticRun(0.8, { countMse: 0.01 }),
      syntheticRun(0.8, { countMse: 0.01 }),
    ],
    "quick",
  );
  assert.equal(few.converged, "1/3");
  assert.ok(!few.passed && !few.contradicted, "one converged run is too few either way");
});

Deno.test("only converged runs enter the statistic", () => {
  const m = measureTable4(
    row22,
    [syntheticRun(0.8), syntheticRun(0.75), syntheticRun(0.1, { countMse: 0.01 })],
    "quick",
  );
  assert.ok(Math.abs(m.estimate.value - 0.775) < 1e-12);
  assert.equal(m.estimate.n, 2);
});

Deno.test("at paper scale a mean far above the paper's value does not reproduce it", () => {
  const runs = [0.99, 0.98, 0.99].map((v) => syntheticRun(v, { reachedTarget: true }));
  assert.ok(!measureTable4(row22, runs, "paper").passed);
  assert.ok(measureTable4(row22, runs, "quick").passed);
});
