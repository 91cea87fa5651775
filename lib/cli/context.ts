/**
 * The one place where the claims' context is read from flags and the environment: scale
 * (`--scale`, `IMAGINATION_SCALE`, default quick), seed base (`--seed-base`,
 * `IMAGINATION_SEED_BASE`, default 20240530) and run store (`IMAGINATION_STORE`: a folder or
 * `s3://bucket/prefix` with the AWS variables of lib/runs/open.ts; else `IMAGINATION_RUNS_DIR`;
 * default per scale: `runs/`, or `evidence/faithful/` at faithful scale, whose entries are
 * committed and re-verified by CI). Everything below receives the context as an argument.
 * Opening the store registers the experiments' run kinds, which its entries are checked against.
 *
 * @module
 */
import { DEFAULT_SEED_BASE } from "../claims/groups.ts";
import { type Context, type Scale, SCALES } from "../claims/protocol.ts";
import { openStore } from "../runs/open.ts";
import type { Store } from "../runs/store.ts";
import { registerExperimentKinds } from "./run_kinds.ts";

/**
 * The run store's folder of a scale when `IMAGINATION_RUNS_DIR` is not set: faithful runs take
 * core-hours, so their entries are recorded evidence under `evidence/faithful/` (committed;
 * checkpoints, slots and locks beside them are ignored by git); other scales use `runs/`.
 *
 * @example
 * ```ts
 * defaultRunsDir("faithful"); // "evidence/faithful"
 * ```
 */
export function defaultRunsDir(scale: Scale): string {
  return scale === "faithful" ? "evidence/faithful" : "runs";
}

/**
 * Parses a scale name, with a one-line error naming the source.
 *
 * @example
 * ```ts
 * parseScale("quick", "--scale"); // "quick"
 * ```
 */
export function parseScale(value: string, source: string): Scale {
  if (!(SCALES as readonly string[]).includes(value)) {
    throw new Error(`${source} "${value}": expected one of ${SCALES.join(", ")}`);
  }
  return value as Scale;
}

/**
 * Parses a seed base: an integer in 0..2^31-1.
 *
 * @example
 * ```ts
 * parseSeedBase("7", "--seed-base"); // 7
 * ```
 */
export function parseSeedBase(raw: string, source: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value > 2 ** 31 - 1) {
    throw new Error(`${source} "${raw}": expected an integer in 0..2147483647`);
  }
  return value;
}

/**
 * The run store: the folder `runsDir` when given, else the one `IMAGINATION_STORE` names
 * (a folder or a bucket), else `IMAGINATION_RUNS_DIR`, else `fallback` (default `runs/`); with
 * the experiments' run kinds registered.
 *
 * @example
 * ```ts
 * const store = storeFromEnvironment(); // IMAGINATION_STORE=s3://runs/paper: the bucket
 * ```
 */
export function storeFromEnvironment(
  options: { runsDir?: string; fallback?: string } = {},
): Store {
  registerExperimentKinds();
  return openStore(
    options.runsDir ?? Deno.env.get("IMAGINATION_STORE") ??
      Deno.env.get("IMAGINATION_RUNS_DIR") ?? options.fallback ?? "runs",
  );
}

/**
 * The context from flags (which win) and the environment.
 *
 * @example
 * ```ts
 * const context = contextFromEnvironment({ scale: "quick" });
 * ```
 */
export function contextFromEnvironment(
  flags: { scale?: string; seedBase?: string; runsDir?: string; quiet?: boolean } = {},
): Context {
  const scaleRaw = flags.scale ?? Deno.env.get("IMAGINATION_SCALE") ?? "quick";
  const baseRaw = flags.seedBase ?? Deno.env.get("IMAGINATION_SEED_BASE") ?? "";
  const scale = parseScale(scaleRaw, flags.scale ? "--scale" : "IMAGINATION_SCALE");
  return {
    scale,
    seedBase: baseRaw === ""
      ? DEFAULT_SEED_BASE
      : parseSeedBase(baseRaw, flags.seedBase ? "--seed-base" : "IMAGINATION_SEED_BASE"),
    store: storeFromEnvironment({ runsDir: flags.runsDir, fallback: defaultRunsDir(scale) }),
    quiet: flags.quiet,
  };
}
