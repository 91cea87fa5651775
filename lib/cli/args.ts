/**
 * Parsing of command-line flag values shared by the CLIs.
 *
 * @module
 */

/**
 * The value of `--name` as a positive integer, or an error that names the flag.
 *
 * @example
 * ```ts
 * positiveIntegerFlag("positions", "40000"); // 40000
 * ```
 */
export function positiveIntegerFlag(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`--${name} ${text}: expected a positive integer`);
  }
  return value;
}
