import assert from "node:assert/strict";
import type { TrainResult } from "../train/train.ts";
import { GOL_CLAIMS, includedRuns, paperEffectPlace, reachedBefore } from "./gol_claims.ts";
import { GROUPS } from "./groups.ts";
import type { Claim, Context } from "./protocol.ts";

const context = { scale: "quick", seedBase: 1 } as Context;
const claim = (id: string) => GOL_CLAIMS.find((c) => c.id === id) as Claim<TrainResult>;

/** A synthetic run: its metric, convergence, trivial decoders and learning trace. */
function run(
  metric: number,
  options: {
    reachedTarget?: boolean;
    copyFinal?: number;
    firstReach98?: (number | null)[];
    fresh?: number;
  } = {},
): TrainResult {
  const scores = (value: number) => ({ metric: value, mcc: value, indexAccuracy: [] });
  return {
    status: "ok",
    backend: { name: "cpu", tfjsBackend: "cpu", tfjsVersion: "test", detail: "synthetic" },
    steps: 1000,
    reachedTarget: options.reachedTarget ?? true,
    finalAccuracy: 0.99,
    lossHistory: [],
    trace: { steps: [], accuracy: [], firstReach98: options.firstReach98 ?? [100, 200, 300, 400] },
    evalSequences: 10,
    regular: scores(metric),
    fresh: scores(options.fresh ?? metric),
    adversarial: scores(metric),
    references: {
      perfect: 1,
      trivial: {
        allDead: 0.1,
        copyInput: 0.2,
        copyFinal: options.copyFinal ?? 0.3,
        copyNearest: 0.25,
      },
    },
    metric,
    seconds: { model: 1, freshDecoder: 0, adversarial: 0, evaluate: 0, total: 1 },
    stepsPerSecond: 1000,
  };
}

/** Results in the order of a claim's groups at quick scale. */
function resultsOf(claimId: string, byGroup: Record<string, (i: number) => TrainResult>) {
  const c = claim(claimId) as Claim<TrainResult> & { groups: (keyof typeof GROUPS)[] };
  return c.groups.flatMap((id) =>
    Array.from({ length: GROUPS[id].runs.quick }, (_, i) => byGroup[id](i))
  );
}

Deno.test("only runs at 99% final-state accuracy count", () => {
  assert.equal(includedRuns([run(1), run(1, { reachedTarget: false })]).length, 1);
  const m = claim("table1-3-timesteps").measure(
    resultsOf("table1-3-timesteps", { t3: (i) => run(1, { reachedTarget: i === 0 }) }),
    context,
  );
  assert.equal(m.verdict, "untested");
  assert.equal(m.reason?.text, "1 of 4 runs converged (at least 3 needed)");
});

Deno.test("a mean claim that copying the final state also passes is untested, never reproduced", () => {
  const id = "table1-2-timesteps";
  const passes = claim(id).measure(resultsOf(id, { t2: () => run(1) }), context);
  assert.equal(passes.verdict, "reproduced");
  assert.equal(passes.normalised?.value, 1);
  const trivial = claim(id).measure(
    resultsOf(id, { t2: () => run(1, { copyFinal: 0.95 }) }),
    context,
  );
  assert.equal(trivial.verdict, "untested");
  assert.equal(trivial.reason?.kind, "trivial");
  const low = claim(id).measure(resultsOf(id, { t2: (i) => run(0.4 + i * 0.01) }), context);
  assert.equal(low.verdict, "contradicted");
});

Deno.test("learning order can come out contradicted: the final state first in every run", () => {
  const reached = (i: number) => [100, 2000 + i, 3000, 500 + i];
  assert.equal(reachedBefore(run(1, { firstReach98: reached(0) }), 1, 3), false);
  assert.equal(reachedBefore(run(1, { firstReach98: [0, null, 10, 5] }), 1, 3), false);
  assert.equal(reachedBefore(run(1, { firstReach98: [0, 5, 10, 5] }), 1, 3), null);
  assert.throws(() => reachedBefore(run(1, { firstReach98: [0, 5, 10, null] }), 1, 3));
  // Quick scale trains 4 runs of t3: too few for a sign test, however clear.
  const quick = claim("learning-order").measure(
    resultsOf("learning-order", { t3: (i) => run(1, { firstReach98: reached(i) }) }),
    context,
  );
  assert.equal(quick.verdict, "untested");
  assert.equal(quick.reason?.kind, "power");
  const six = Array.from({ length: 6 }, (_, i) => run(1, { firstReach98: reached(i) }));
  const paper = { ...context, scale: "paper" } as Context;
  const many = [...six, ...six, ...six, ...six, ...six, ...six, ...six.slice(0, 6)];
  const measured = claim("learning-order").measure(many.slice(0, GROUPS.t3.runs.paper), paper);
  assert.equal(measured.verdict, "contradicted");
  const early = (i: number) => [100, 200 + i, 300, 5000 + i];
  const ordered = Array.from(
    { length: GROUPS.t3.runs.paper },
    (_, i) => run(1, { firstReach98: early(i) }),
  );
  assert.equal(claim("learning-order").measure(ordered, paper).verdict, "reproduced");
});

Deno.test("Table 3 measures the adversarial gain over the fresh decoder before its adversarial phase", () => {
  const id = "table3-no-rnn";
  const m = claim(id).measure(
    resultsOf(id, { t3NoRnn: (i) => run(0.7 + i * 0.01, { fresh: 0.3 + i * 0.01 }) }),
    context,
  );
  assert.ok(Math.abs(m.estimate.value - 0.4) < 1e-9);
  assert.equal(m.verdict, "reproduced");
  assert.equal(m.details["without adversarial (fresh decoder)"], "0.31");
});

Deno.test("a comparison says where the paper's effect lies against its interval; the verdict stays the rule's", () => {
  const id = "autoencoder-helps";
  // No difference, measured precisely: the interval holds 0 and excludes the paper's 0.43.
  const same = claim(id).measure(
    resultsOf(id, {
      t3: (i) => run(0.9 + 0.01 * (i % 2)),
      t3NoAutoencoder: (i) => run(0.9 + 0.01 * (i % 2)),
    }),
    context,
  );
  assert.equal(same.verdict, "inconclusive");
  assert.match(
    String(same.details?.["the paper's effect against the interval"]),
    /^0\.43 lies above the interval: the effect measured here is smaller than the paper's/,
  );
  assert.equal(
    paperEffectPlace(0.43, { low: 0.2, high: 0.6 }),
    "0.43 lies inside the interval (0.20..0.60)",
  );
  assert.match(paperEffectPlace(0.1, { low: 0.2, high: 0.6 }), /below the interval: .* larger/);
  assert.equal(paperEffectPlace(0.1, { low: NaN, high: NaN }), "-");
});
