/**
 * Section 3.3: decoders trained on a frozen AlphaZero-style network's input block (input board)
 * and final trunk (board after its move) do not show legal successor positions when applied to
 * the intermediate residual blocks, with or without an adversarial loss.
 *
 * Positive controls come first and must pass: a decoder that cannot even read the input board,
 * or cannot read the network's move from the final trunk, must never confirm the claim.
 * Thresholds and runs: lib/chess/claim.ts. Re-run on other seeds with IMAGINATION_SEED_BASE.
 */
import assert from "node:assert/strict";
import { ensureRuns } from "../lib/runs/pool.ts";
import { CHESS_THRESHOLDS, chessRunSpecs, evaluateChessClaim } from "../lib/chess/claim.ts";
import { currentScale, seedBase } from "../lib/claims/groups.ts";
import type { ChessRunResult } from "../lib/chess/study.ts";

/**
 * Controls measured to fail at quick scale, with the evidence (index = control number - 1).
 * The shipped network (914 training steps on CPU, top legal move probability 0.29 on average)
 * neither keeps the whole board in its final trunk nor commits to one move there. The claim
 * then stays untested; see README "Chess: what is and is not tested here".
 */
const QUICK_SCALE_FAILING_CONTROLS: Record<number, string> = {
  1: "seed base 20240530: the final trunk decodes the post-move board at 93.9% vs 96.9% for copying " +
    "the input in both runs (gain -2.9% [-3.2, -2.6] and -3.0% [-3.3, -2.7]); only 25-33% of the squares " +
    "the move changes are right. Also failing: a decoder trained 3x longer; per-layer standardisation, " +
    "4 hidden convolutions or 96 channels; and a network rebuilt with zero-initialised residual branches " +
    "and 3,000 steps (24.0% agreement with Stockfish): gain -1.5%, changed squares 30-33%",
};

Deno.test("chess non-interpretability: intermediate blocks rarely decode to legal successor positions", async (t) => {
  const scale = currentScale(), base = seedBase();
  const runs = await ensureRuns<ChessRunResult>(await chessRunSpecs(scale, base), {
    label: "chess",
  });
  const verdict = evaluateChessClaim(runs.map((run) => run.result), base);
  const replay = `(scale ${scale}, IMAGINATION_SEED_BASE=${base}, runs ${
    runs.map((r) => r.dir).join(" ")
  })`;
  for (const [i, control] of verdict.controls.entries()) {
    const recordedFailure = scale === "quick" ? QUICK_SCALE_FAILING_CONTROLS[i] : undefined;
    await t.step(`control ${i + 1}: ${control.name}`, () => {
      console.log(`  ${control.detail}`);
      if (recordedFailure) {
        // Recorded as failing at quick scale: the claim then stays untested, never confirmed.
        console.log(`  recorded as failing at quick scale: ${recordedFailure}`);
        assert.ok(
          !control.passed,
          `control ${
            i + 1
          } recorded as failing now passes; update QUICK_SCALE_FAILING_CONTROLS ${replay}`,
        );
      } else {
        assert.ok(control.passed, `positive control failed: ${control.detail} ${replay}`);
      }
    });
  }
  if (!verdict.controls.every((c) => c.passed)) {
    console.log("  a positive control fails, so the non-interpretability statistic is not tested");
    return;
  }
  await t.step(
    `successor rate of intermediate decodings: 95% upper bound below ${
      CHESS_THRESHOLDS.successorRate * 100
    }%`,
    () => {
      const show = (e: { value: number; low: number; high: number }) =>
        `${(e.value * 100).toFixed(1)}% [${(e.low * 100).toFixed(1)}, ${
          (e.high * 100).toFixed(1)
        }]`;
      console.log(
        `  regular ${show(verdict.regular)}; adversarial ${
          verdict.adversarial ? show(verdict.adversarial) : "not trained"
        }; ` +
          `paper: no consistent valid moves`,
      );
      assert.ok(
        verdict.controls.every((c) => c.passed),
        `a positive control failed, so the claim is not tested ${replay}`,
      );
      assert.ok(
        verdict.tested.high < CHESS_THRESHOLDS.successorRate,
        `intermediate decodings are legal successors in ${show(verdict.tested)} of cases ${replay}`,
      );
    },
  );
});
