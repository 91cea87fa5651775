/**
 * Verifying recorded evidence (`evidence/faithful/`) without retraining it:
 *
 * - every entry's folder name is the hash of its `spec.json`, and it holds exactly `spec.json`,
 *   `result.json` and its weight files (no temporary files, no checkpoints);
 * - for Game of Life runs, every score the verdicts read is recomputed from the recorded weights
 *   on the held-out sequences regenerated from the run's seed, and must equal the recorded one:
 *   Eq. 1, the MCC variant and per-index accuracy of the regular, fresh and adversarial
 *   decoders and the ceiling readouts, the trivial-decoder and perfect references, the final-state accuracy and the 99%
 *   rule, the per-run metric, and the learning trace's first-98% steps against the trace;
 *   numbers recorded on another backend are not compared (say so, never pass them silently);
 *   with `recomputeLimit`, only a window of entries that moves with the day is recomputed, and
 *   the others are listed as not recomputed;
 * - the verdicts are re-derived from the recorded results, training nothing (claims whose runs
 *   are not all recorded are listed as incomplete);
 * - one recorded run, chosen by a seed (by default the UTC day, so a different run each day),
 *   is retrained for its first steps and must match its recorded loss history and learning
 *   trace bit for bit, on the same backend;
 * - given the executors (`rerun`), one entry of another kind (Table 4's LSTM, chess; they keep
 *   no weights to recompute from), chosen by the same seed, is rerun in full on the same backend
 *   and must give the recorded result (less timings) and files.
 *
 * Each problem names its entry. What cannot be recomputed without retraining (the trace after
 * the retrained prefix, the losses of unretrained runs) is only checked for consistency.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { activeBackend, initBackend } from "../backend/backend.ts";
import { tf } from "../backend/tf.ts";
import { runSequences } from "../gol/life.ts";
import { trainedIndicesFor } from "../metric/imagination.ts";
import { disposeModel } from "../models/gol_model.ts";
import { variablesOf } from "../layers/layers.ts";
import type { RunOutput } from "../runs/kinds.ts";
import { type RunSpec, RunStore, specHash } from "../runs/store.ts";
import { createRng } from "../stats/rng.ts";
import { loadGolRun } from "../train/gol_runs.ts";
import { metricReferences } from "../train/references.ts";
import {
  decoderScores,
  disposeRun,
  probeAccuracy,
  probeBatch,
  type TrainResult,
  trainRun,
} from "../train/train.ts";
import { validateRunConfig } from "../train/validate.ts";
import { expectationOf } from "./preregistration.ts";
import { type Claim, type ClaimOutcome, evaluateClaims, type Scale } from "./protocol.ts";

/** What {@link verifyEvidence} found. */
export interface EvidenceVerification {
  /** Entries checked (folder names). */
  entries: string[];
  /** Every problem found, each naming its entry ("<hash>: ..."); empty when all is well. */
  problems: string[];
  /** Entries whose scores were not recomputed, with the reason (another backend, a failed run). */
  notRecomputed: string[];
  /** The verdicts re-derived from the recorded results. */
  outcomes: ClaimOutcome[];
  /** Claims not measured because some of their runs are not recorded. */
  incomplete: string[];
  /** The retrained prefix: which entry and how many steps, or why none was retrained. */
  retrain: { entry: string; steps: number; losses: number; traced: number } | {
    skipped: string;
  };
  /** The entry of another kind (Table 4's LSTM, chess) rerun in full, or why none was. */
  rerun: { entry: string; kind: string } | { skipped: string };
}

/** Options of {@link verifyEvidence}. */
export interface VerifyOptions {
  /** The scale the verdicts are derived at (default faithful). */
  scale?: Scale;
  /** The seed base of the claims' runs. */
  seedBase: number;
  /** The claims to re-derive (default: none). */
  claims?: readonly Claim[];
  /** Picks the retrained entry (default: days since 1970-01-01, UTC). */
  retrainSeed?: number;
  /** Steps retrained, rounded down to a multiple of the run's evalInterval (default: one). */
  retrainSteps?: number;
  /**
   * Entries whose scores are recomputed (default: all). The others, chosen by `retrainSeed`
   * so that the days rotate through them, get every other check. About 8 s an entry at
   * faithful scale on 2 wasm cores.
   */
  recomputeLimit?: number;
  /**
   * Trains a whole run from its spec (the experiments' executors, passed in so this module
   * loads none of them). Given, one entry a day of another kind than Game of Life (Table 4's
   * LSTM, chess: runs of seconds to minutes, whose results keep no weights to recompute from),
   * chosen by `retrainSeed`, is rerun in full on the same backend: its result less timings and
   * its files must equal the recorded ones. Not given, such entries are only hash-checked.
   */
  rerun?: (spec: RunSpec) => Promise<RunOutput>;
}

const ENTRY = /^[0-9a-f]{16}$/;
const GOL_FILES = ["result.json", "spec.json", "weights.bin", "weights.json"];

/** Leftovers of a running or killed sweep: ignored by git, so never part of the evidence. */
function isSweepLeftover(name: string): boolean {
  return name.startsWith(".") || name.endsWith(".lock") || name.includes(".tmp-");
}

function readJson(path: string): unknown {
  return JSON.parse(Deno.readTextFileSync(path));
}

/** The recomputable fields of a GoL entry, compared with the recorded ones. */
function recomputeGol(dir: string, spec: RunSpec, result: TrainResult): string[] {
  const problems: string[] = [];
  const expectSame = (field: string, recorded: unknown, recomputed: unknown) => {
    if (!isDeepStrictEqual(recorded, recomputed)) {
      problems.push(
        `${field} is ${JSON.stringify(recorded)}, recomputed ${JSON.stringify(recomputed)}`,
      );
    }
  };
  const config = validateRunConfig(spec.config);
  const T = config.model.modelTimesteps;
  const heldOut = runSequences(config.model, "eval", config.train.evalSequences, spec.seed);
  const trainedIndices = trainedIndicesFor(T, config.model.useAutoencoder);
  const { model, extraDecoder, freshDecoder, ceiling } = loadGolRun(dir, config);
  const probe = probeBatch(heldOut);
  try {
    expectSame("evalSequences", result.evalSequences, heldOut.count);
    expectSame("references", result.references, metricReferences(heldOut, config.model));
    expectSame(
      "regular",
      result.regular,
      decoderScores(model, model.decoder, heldOut, trainedIndices),
    );
    const finalAccuracy = probeAccuracy(model, probe)[T];
    expectSame("finalAccuracy", result.finalAccuracy, finalAccuracy);
    expectSame("reachedTarget", result.reachedTarget, finalAccuracy >= config.train.targetAccuracy);
    const last = result.lossHistory.at(-1);
    expectSame("last lossHistory entry", [last?.step, last?.finalAccuracy], [
      result.steps,
      result.finalAccuracy,
    ]);
    const adversarial = config.train.adversarialSteps > 0 ? extraDecoder : null;
    const fresh = adversarial ? freshDecoder : extraDecoder;
    if (result.adversarial || adversarial) {
      expectSame(
        "adversarial",
        result.adversarial,
        adversarial && decoderScores(model, adversarial, heldOut, trainedIndices),
      );
    }
    if (result.fresh || fresh) {
      expectSame(
        "fresh",
        result.fresh,
        fresh && decoderScores(model, fresh, heldOut, trainedIndices),
      );
    }
    if (result.ceiling || ceiling) {
      expectSame(
        "ceiling",
        result.ceiling,
        ceiling && decoderScores(model, { perIndex: ceiling }, heldOut, trainedIndices),
      );
    }
    if (result.regular) {
      expectSame(
        "metric",
        result.metric,
        Math.max(result.regular.metric, result.adversarial?.metric ?? -Infinity),
      );
    }
    expectSame(
      "trace.firstReach98",
      result.trace.firstReach98,
      result.trace.accuracy.map((series) => {
        const k = series.findIndex((value) => value >= 0.98);
        return k < 0 ? null : result.trace.steps[k];
      }),
    );
  } finally {
    tf.dispose(probe);
    disposeModel(model);
    for (const decoder of new Set([extraDecoder, freshDecoder, ...(ceiling ?? [])])) {
      if (decoder) tf.dispose(variablesOf(decoder));
    }
  }
  return problems;
}

/** A result as recorded (JSON), less its wall and CPU timings, which no rerun repeats. */
function withoutTimings(result: unknown): unknown {
  const { seconds: _seconds, stepsPerSecond: _perSecond, ...rest } = JSON.parse(
    JSON.stringify(result),
  ) as Record<string, unknown>;
  return rest;
}

/** The first path at which two JSON values differ ("" when equal). */
function firstDifference(a: unknown, b: unknown, path = "result"): string {
  if (isDeepStrictEqual(a, b)) return "";
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const inner = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`,
      );
      if (inner) return inner;
    }
  }
  return path;
}

/**
 * Reruns a whole entry and compares its result less timings and its files with the recorded;
 * returns the differences (none: the entry is reproduced byte for byte).
 *
 * @example
 * ```ts
 * const problems = await rerunWhole(dir, spec, result, (spec) => executeGolRun(spec, () => {}));
 * ```
 */
export async function rerunWhole(
  dir: string,
  spec: RunSpec,
  result: unknown,
  rerun: (spec: RunSpec) => Promise<RunOutput>,
): Promise<string[]> {
  const output = await rerun(spec);
  const problems: string[] = [];
  const where = firstDifference(withoutTimings(output.result), withoutTimings(result));
  if (where) problems.push(`rerun in full, ${where} differs from the recorded result`);
  for (const [name, content] of Object.entries(output.files)) {
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    let recorded: Uint8Array | null = null;
    try {
      recorded = Deno.readFileSync(`${dir}/${name}`);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (recorded === null) problems.push(`rerun in full, it writes ${name}, which is not recorded`);
    else if (!isDeepStrictEqual(bytes, recorded)) {
      problems.push(`rerun in full, ${name} differs from the recorded file`);
    }
  }
  return problems;
}

/** Retrains a GoL entry's first steps and compares its losses and trace with the recorded. */
async function retrainPrefix(
  spec: RunSpec,
  result: TrainResult,
  requested: number | undefined,
): Promise<{ steps: number; losses: number; traced: number; problems: string[] }> {
  const config = validateRunConfig(spec.config);
  const { evalInterval } = config.train;
  const wanted = Math.max(
    evalInterval,
    Math.floor((requested ?? evalInterval) / evalInterval) * evalInterval,
  );
  const steps = Math.min(wanted, result.steps);
  const run = await trainRun(
    { model: config.model, train: { ...config.train, maxSteps: steps } },
    spec.seed,
    { skipExtraDecoders: true },
  );
  const upTo = <T extends { step: number }>(list: T[]) => list.filter((e) => e.step <= steps);
  const recordedLosses = upTo(result.lossHistory);
  const tracedSteps = result.trace.steps.filter((step) => step <= steps);
  const traceOf = (r: TrainResult) => r.trace.accuracy.map((s) => s.slice(0, tracedSteps.length));
  const problems: string[] = [];
  if (!isDeepStrictEqual(run.result.lossHistory, recordedLosses)) {
    problems.push(`retrained for ${steps} steps, the loss history differs from the recorded one`);
  }
  if (
    !isDeepStrictEqual(run.result.trace.steps, tracedSteps) ||
    !isDeepStrictEqual(traceOf(run.result), traceOf(result))
  ) {
    problems.push(`retrained for ${steps} steps, the learning trace differs from the recorded one`);
  }
  disposeRun(run);
  return { steps, losses: recordedLosses.length, traced: tracedSteps.length, problems };
}

/**
 * Verifies a folder of recorded run entries (see the module doc). Throws only when the folder
 * cannot be read; everything wrong with an entry is returned in `problems`, naming it.
 *
 * @example
 * ```ts
 * const report = await verifyEvidence("evidence/faithful", { seedBase: 20240530, claims: CLAIMS });
 * if (report.problems.length) throw new Error(report.problems.join("\n"));
 * ```
 */
export async function verifyEvidence(
  root: string,
  options: VerifyOptions,
): Promise<EvidenceVerification> {
  const backend = activeBackend() ?? await initBackend();
  const verification: EvidenceVerification = {
    entries: [],
    problems: [],
    notRecomputed: [],
    outcomes: [],
    incomplete: [],
    retrain: { skipped: "no entries" },
    rerun: { skipped: "no entries" },
  };
  let names: string[] = [];
  try {
    names = [...Deno.readDirSync(root)].map((entry) => entry.name).sort();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const retrainable: { name: string; spec: RunSpec; result: TrainResult }[] = [];
  const rerunnable: { name: string; dir: string; spec: RunSpec; result: TrainResult }[] = [];
  const daySeed = options.retrainSeed ?? Math.floor(Date.now() / 86_400_000);
  const entryCount = names.filter((name) => ENTRY.test(name)).length;
  const limit = Math.min(options.recomputeLimit ?? entryCount, entryCount);
  // A window of `limit` entries starting at a day-dependent offset: every entry in turn.
  const offset = entryCount > 0 ? createRng(daySeed).int(entryCount) : 0;
  const recomputed = (index: number) => (index - offset + entryCount) % entryCount < limit;
  for (const name of names) {
    if (isSweepLeftover(name)) continue;
    if (!ENTRY.test(name)) {
      verification.problems.push(`${name}: not a run entry (expected a 16-hex-digit folder)`);
      continue;
    }
    const index = verification.entries.push(name) - 1;
    const dir = `${root}/${name}`;
    const problem = (text: string) => verification.problems.push(`${name}: ${text}`);
    let spec: RunSpec, result: TrainResult;
    try {
      spec = readJson(`${dir}/spec.json`) as RunSpec;
      result = readJson(`${dir}/result.json`) as TrainResult;
    } catch (error) {
      problem(`unreadable (${(error as Error).message})`);
      continue;
    }
    const hash = specHash(spec);
    if (hash !== name) problem(`spec.json hashes to ${hash}: the spec was edited or moved`);
    const files = [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
    if (spec.kind !== "gol") {
      if (!files.includes("result.json")) problem("no result.json");
      else if (result.status !== undefined && result.status !== "ok") {
        verification.notRecomputed.push(`${name}: run failed (${result.failure})`);
      } else if (result.backend?.name !== backend.name) {
        verification.notRecomputed.push(
          `${name}: recorded on ${result.backend?.name}, verifying on ${backend.name}`,
        );
      } else rerunnable.push({ name, dir, spec, result });
      continue;
    }
    if (!isDeepStrictEqual(files, GOL_FILES)) {
      problem(`holds ${files.join(", ")}; expected exactly ${GOL_FILES.join(", ")}`);
    }
    if (result.status !== "ok") {
      verification.notRecomputed.push(`${name}: run failed (${result.failure})`);
      continue;
    }
    if (result.backend?.name !== backend.name) {
      verification.notRecomputed.push(
        `${name}: recorded on ${result.backend?.name}, verifying on ${backend.name}`,
      );
      continue;
    }
    retrainable.push({ name, spec, result });
    if (!recomputed(index)) {
      verification.notRecomputed.push(`${name}: not in today's sample of ${limit}`);
      continue;
    }
    try {
      for (const text of recomputeGol(dir, spec, result)) problem(text);
    } catch (error) {
      problem(`cannot be recomputed (${(error as Error).message})`);
    }
  }
  if (retrainable.length > 0) {
    const chosen = retrainable[createRng(daySeed + 1).int(retrainable.length)];
    const prefix = await retrainPrefix(chosen.spec, chosen.result, options.retrainSteps);
    for (const text of prefix.problems) verification.problems.push(`${chosen.name}: ${text}`);
    verification.retrain = {
      entry: chosen.name,
      steps: prefix.steps,
      losses: prefix.losses,
      traced: prefix.traced,
    };
  } else if (verification.entries.length > 0) {
    verification.retrain = {
      skipped: `no successful Game of Life entry recorded on ${backend.name}`,
    };
  }
  if (!options.rerun) {
    verification.rerun = { skipped: "no executor given: entries of other kinds hash-checked only" };
  } else if (rerunnable.length > 0) {
    const chosen = rerunnable[createRng(daySeed + 2).int(rerunnable.length)];
    const problems = await rerunWhole(chosen.dir, chosen.spec, chosen.result, options.rerun);
    for (const text of problems) verification.problems.push(`${chosen.name}: ${text}`);
    verification.rerun = { entry: chosen.name, kind: chosen.spec.kind };
  } else if (verification.entries.length > 0) {
    verification.rerun = {
      skipped: `no successful entry of another kind recorded on ${backend.name}`,
    };
  }
  const claims = options.claims ?? [];
  if (verification.entries.length === 0) {
    verification.incomplete = claims.map((c) => c.id);
  } else if (claims.length > 0) {
    const context = {
      scale: options.scale ?? "faithful",
      seedBase: options.seedBase,
      store: new RunStore(root),
      quiet: true,
    };
    verification.outcomes = await evaluateClaims(claims, context, expectationOf, {
      recordedOnly: true,
    });
    const measured = new Set(verification.outcomes.map((o) => o.claim.id));
    verification.incomplete = claims.map((c) => c.id).filter((id) => !measured.has(id));
  }
  return verification;
}
