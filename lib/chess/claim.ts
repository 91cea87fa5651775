/**
 * The chess claim of Section 3.3 as data: the paper's statement, the runs it needs at each
 * scale, the positive controls, and the statistic with its threshold. The claim test and the
 * report both evaluate it here, so they can never disagree.
 *
 * Paper: "when we apply the decoder to activations from the intermediate residual blocks, we do
 * not find consistent evidence of human-interpretable board states or valid moves in these
 * reconstructions. Applying an adversarial loss does not substantially improve the
 * interpretability of the reconstructions."
 *
 * Statistic: the fraction of intermediate-block decodings (residual blocks before the final
 * trunk, held-out positions, all runs pooled) that equal the board after some legal move of the
 * input, for the regular and the adversarial decoder; the larger of the two is tested, so the
 * adversarial decoder can only make the claim harder to confirm. "Rarely" is fixed in advance
 * as: the upper end of the 95% t interval (over positions) is below 10%. Verdicts as for every
 * claim (`lib/claims/protocol.ts`): untested while a positive control fails; reproduced when
 * the upper end is below 10%, contradicted when the lower end is above, else inconclusive.
 *
 * Positive controls, checked on every run before the statistic counts:
 * 1. at the input block the decoder reconstructs the board with at least 99% square accuracy;
 * 2. at the final trunk it predicts the board after the network's chosen move clearly better
 *    than copying the input: the 95% t interval of the per-position accuracy gain over
 *    copying lies above 0, and at least half of the squares the move changes are right (copying
 *    gets none of them).
 *
 * @module
 */
import type { Claim, Measurement, Scale } from "../claims/protocol.ts";
import type { RunSpec } from "../runs/store.ts";
import { type Interval, meanInterval } from "../stats/intervals.ts";
import { deriveSeed } from "../stats/rng.ts";
import type { DecoderConfig } from "./decoder.ts";
import { loadNetwork } from "./network.ts";
import { type ChessRunResult, type ChessStudyConfig, projectPath } from "./study.ts";

/** Shipped network and positions. */
export const SHIPPED_NETWORK = "fixtures/chess/network.onnx";
/** Shipped positions. */
export const SHIPPED_POSITIONS = "fixtures/chess/positions.json";
/**
 * Where `deno task chess:build --snapshots` writes networks of several strengths, one folder
 * per training step (`<steps>/network.onnx` and its record `<steps>/network.json`).
 */
export const STRENGTHS_DIR = "fixtures/chess/strengths";

/** Thresholds, fixed before any run and the same at every scale. */
export const CHESS_THRESHOLDS = {
  /** Control 1: minimum input-block square accuracy (every run). */
  inputAccuracy: 0.99,
  /** Control 2: minimum accuracy on the squares the chosen move changes (every run). */
  changedSquareAccuracy: 0.5,
  /** The claim: the 95% upper bound of the intermediate successor rate must be below this. */
  successorRate: 0.1,
} as const;

// Quick: a narrower decoder trained three times longer than the first try (hidden 64, 500
// steps), which read the final trunk no better than copying the input (control 2 failed).
const QUICK_DECODER: DecoderConfig = {
  hidden: 48,
  steps: 1500,
  adversarialSteps: 100,
  adversarialWeight: 0.5,
  batchSize: 64,
  learningRate: 3e-3,
};

// The faithful scale sizes the Game of Life claims; the chess study keeps quick's settings.
const DECODERS: Record<Scale, DecoderConfig> = {
  quick: QUICK_DECODER,
  faithful: QUICK_DECODER,
  paper: {
    hidden: 128,
    steps: 4000,
    adversarialSteps: 2000,
    adversarialWeight: 0.5,
    batchSize: 128,
    learningRate: 1e-3,
  },
};

/**
 * The network and positions each scale's claim reads. Quick and paper read the shipped network;
 * faithful reads the strongest network of the strengths build (`chess:build --positions 300000
 * --snapshots 1000,4000,15000 --decay-steps 10000`) with that build's own held-out positions,
 * as pre-registered in `lib/claims/preregistered/faithful.json` before the network existed.
 */
export const CHESS_NETWORKS: Record<Scale, { network: string; positions: string }> = {
  quick: { network: SHIPPED_NETWORK, positions: SHIPPED_POSITIONS },
  faithful: {
    network: `${STRENGTHS_DIR}/15000/network.onnx`,
    positions: `${STRENGTHS_DIR}/positions.json`,
  },
  paper: { network: SHIPPED_NETWORK, positions: SHIPPED_POSITIONS },
};

/** Runs, training and held-out positions per scale. */
export const CHESS_SCALES: Record<
  Scale,
  { runs: number; trainPositions: number; evalPositions: number }
> = {
  quick: { runs: 2, trainPositions: 2500, evalPositions: 400 },
  faithful: { runs: 2, trainPositions: 2500, evalPositions: 400 },
  paper: { runs: 5, trainPositions: 6000, evalPositions: 1000 },
};

/**
 * The run specs of the chess study at a scale, for a network (default: the scale's network and
 * positions, {@link CHESS_NETWORKS}).
 * `decoder` overrides the scale's decoder settings (for studies of other decoders; the claim
 * test never passes it).
 *
 * @example
 * ```ts
 * const specs = await chessRunSpecs("quick", 20240530);
 * ```
 */
export async function chessRunSpecs(
  scale: Scale,
  base: number,
  options: { network?: string; positions?: string; decoder?: Partial<DecoderConfig> } = {},
): Promise<RunSpec[]> {
  const networkPath = options.network ?? CHESS_NETWORKS[scale].network;
  const network = await loadNetwork(projectPath(networkPath));
  await network.session.release();
  const sizes = CHESS_SCALES[scale];
  return Array.from({ length: sizes.runs }, (_, i) => {
    const config: ChessStudyConfig = {
      network: networkPath,
      networkSha256: network.sha256,
      positions: options.positions ??
        (options.network === undefined ? CHESS_NETWORKS[scale].positions : SHIPPED_POSITIONS),
      trainPositions: sizes.trainPositions,
      evalPositions: sizes.evalPositions,
      decoder: { ...DECODERS[scale], ...options.decoder },
      samples: 6,
    };
    return { kind: "chess", config, seed: deriveSeed(base, `chess-run-${i}`), scale };
  });
}

/** One control's outcome. */
export interface ControlOutcome {
  /** What it checks. */
  name: string;
  /** Whether every run passed. */
  passed: boolean;
  /** Measured values, one line. */
  detail: string;
}

/** The claim's outcome. */
export interface ChessVerdict {
  /** Positive controls, in order. */
  controls: ControlOutcome[];
  /** Intermediate successor rate, regular decoder (pooled over runs). */
  regular: Interval;
  /** Same, adversarial decoder (null when not trained). */
  adversarial: Interval | null;
  /** The tested estimate: the larger of the two. */
  tested: Interval;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Control 2's gap in a run, per held-out position: the regular decoder's square accuracy on
 * the board after the network's move, read from the final trunk, less copying the input's.
 *
 * @example
 * ```ts
 * const gap = meanInterval(postMoveGains(result));
 * ```
 */
export function postMoveGains(result: ChessRunResult): number[] {
  return result.regular.trunkPostMoveAccuracy.map((value, p) => value - result.copyAccuracy[p]);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/**
 * Evaluates the claim on stored runs: controls first, then the statistic.
 *
 * @example
 * ```ts
 * const verdict = evaluateChessClaim(runs.map((run) => run.result));
 * ```
 */
export function evaluateChessClaim(results: readonly ChessRunResult[]): ChessVerdict {
  if (results.length === 0) throw new Error("chess claim: no runs to evaluate");
  const inputAccuracies = results.map((r) => mean(r.regular.inputAccuracy));
  const gains = results.map((r) => meanInterval(postMoveGains(r)));
  const changed = results.map((r) => r.regular.changedSquareAccuracy);
  const controls: ControlOutcome[] = [
    {
      name: `input block reconstructs the board (square accuracy >= ${
        percent(CHESS_THRESHOLDS.inputAccuracy)
      } in every run)`,
      passed: inputAccuracies.every((value) => value >= CHESS_THRESHOLDS.inputAccuracy),
      detail: `square accuracy per run: ${inputAccuracies.map((v) => percent(v)).join(", ")}`,
    },
    {
      name:
        `final trunk predicts the post-move board better than copying the input (gain CI above 0, changed squares >= ${
          percent(CHESS_THRESHOLDS.changedSquareAccuracy)
        })`,
      passed: gains.every((gain) => gain.low > 0) &&
        changed.every((value) => value >= CHESS_THRESHOLDS.changedSquareAccuracy),
      detail: results.map((r, i) =>
        `run ${i + 1}: decoder ${percent(mean(r.regular.trunkPostMoveAccuracy))} vs copy ${
          percent(mean(r.copyAccuracy))
        }, ` +
        `gain ${percent(gains[i].value)} [${percent(gains[i].low)}, ${
          percent(gains[i].high)
        }], changed squares ${percent(changed[i])}`
      ).join("; "),
    },
  ];
  const pooled = (pick: (r: ChessRunResult) => number[]) => results.flatMap(pick);
  const regular = meanInterval(pooled((r) => r.regular.intermediateSuccessor));
  const adversarial = results.every((r) => r.adversarial)
    ? meanInterval(pooled((r) => r.adversarial!.intermediateSuccessor))
    : null;
  const tested = adversarial && adversarial.value > regular.value ? adversarial : regular;
  return { controls, regular, adversarial, tested };
}

/**
 * The claim's measurement on the protocol: untested while a positive control fails, else the
 * tested successor rate's interval against the threshold.
 *
 * @example
 * ```ts
 * const measurement = measureChessClaim(results);
 * ```
 */
export function measureChessClaim(results: readonly ChessRunResult[]): Measurement {
  const verdict = evaluateChessClaim(results);
  const failed = verdict.controls.findIndex((c) => !c.passed);
  const threshold = CHESS_THRESHOLDS.successorRate;
  const details: Record<string, string> = Object.fromEntries(
    verdict.controls.map((
      c,
      i,
    ) => [`control ${i + 1} ${c.passed ? "passed" : "FAILED"}`, c.detail]),
  );
  const base = {
    estimate: verdict.tested,
    runs: { included: results.length, total: results.length },
    rule: `positive controls pass; 95% CI of the intermediate successor rate below ${
      percent(threshold)
    }`,
    details,
  };
  if (failed >= 0) {
    return {
      ...base,
      verdict: "untested",
      reason: {
        kind: "control",
        text: `positive control ${failed + 1} fails (${verdict.controls[failed].name})`,
      },
    };
  }
  return {
    ...base,
    verdict: verdict.tested.high < threshold
      ? "reproduced"
      : verdict.tested.low > threshold
      ? "contradicted"
      : "inconclusive",
  };
}

/** Section 3.3 as a claim of the one protocol (each scale's network, {@link CHESS_NETWORKS}). */
export const CHESS_CLAIM: Claim<ChessRunResult> = {
  id: "chess-non-interpretability",
  title: "Intermediate blocks of a chess network rarely decode to legal successor positions",
  source: "Section 3.3",
  table: "Chess: no legal moves imagined in the residual tower (Section 3.3)",
  paper:
    "no consistent human-interpretable board states or valid moves, with or without an adversarial loss",
  specs: (context) => chessRunSpecs(context.scale, context.seedBase),
  measure: (results) => measureChessClaim(results),
};
