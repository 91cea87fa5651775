/**
 * Parsing of command-line flag values shared by the CLIs.
 *
 * @module
 */
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "./main.ts";

/** The largest seed: seeds are 31-bit. */
export const MAX_SEED = 2 ** 31 - 1;

/**
 * The value of `--name` as an integer in `min..max` (default 1..2^53-1), or a usage error
 * that names the flag.
 *
 * @example
 * ```ts
 * integerFlag("repeats", "5"); // 5
 * integerFlag("seed", "0", { min: 0, max: MAX_SEED }); // 0
 * ```
 */
export function integerFlag(
  name: string,
  text: string,
  range: { min?: number; max?: number } = {},
): number {
  const min = range.min ?? 1, max = range.max ?? Number.MAX_SAFE_INTEGER;
  const value = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(
      `--${name} ${text}: expected ${
        min === 1 && max === Number.MAX_SAFE_INTEGER
          ? "a positive integer"
          : `an integer in ${min}..${max}`
      }`,
    );
  }
  return value;
}

/**
 * A file argument as the user meant it: relative paths are taken from the folder the command
 * was run in (`deno task` runs in the project root and keeps that folder in INIT_CWD).
 *
 * @example
 * ```ts
 * userPath("runs/3f2a"); // "/home/me/project/fixtures/runs/3f2a" when run from fixtures/
 * ```
 */
export function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), path);
}

/**
 * A file argument that names a project file (a network, a positions file) the way the
 * project's run specs name it: relative to the project root when it lies inside the project,
 * so that a run spec is the same from any folder and on any machine; absolute otherwise.
 *
 * @example
 * ```ts
 * projectFile("strengths/1000/network.onnx"); // "fixtures/chess/strengths/1000/network.onnx" when run from fixtures/chess/
 * ```
 */
export function projectFile(path: string): string {
  const absolute = userPath(path);
  const inside = relative(fileURLToPath(new URL("../..", import.meta.url)), absolute);
  return inside.startsWith("..") || isAbsolute(inside) ? absolute : inside;
}
