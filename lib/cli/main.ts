/**
 * The shared entry point of every task: `--help` prints the usage, and any error, from flag
 * parsing to a failed worker, ends the task with one line per problem and a non-zero exit
 * code (2 for a usage error, 130 or 143 for an interruption, else 1). Stack traces only with
 * `IMAGINATION_DEBUG=1`.
 *
 * @module
 */
import { Interrupted } from "../runs/pool.ts";

/** A wrong flag or argument: printed with the usage line, exit code 2. */
export class UsageError extends Error {}

/** Options of {@link runMain}. */
export interface MainOptions {
  /** The help text; its first line is the usage line. */
  help: string;
  /** Arguments (default: Deno.args). */
  args?: readonly string[];
}

function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

function exitCodeOf(error: unknown): number {
  if (error instanceof Interrupted) return error.signal === "SIGINT" ? 130 : 143;
  const code = (error as { code?: unknown })?.code;
  if (
    error instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))
  ) {
    return 2;
  }
  return 1;
}

function report(error: unknown, help: string): number {
  const exitCode = exitCodeOf(error);
  if (Deno.env.get("IMAGINATION_DEBUG") === "1") console.error(error);
  else {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message}`);
    if (exitCode === 2) console.error(help.split("\n")[0]);
  }
  return exitCode;
}

/**
 * Runs a task's `main` and exits with its code (0 when it returns nothing).
 *
 * @example
 * ```ts
 * await runMain(async () => { await doWork(); }, { help: "usage: deno task work [--fast]" });
 * ```
 */
export async function runMain(
  main: () => Promise<number | void> | number | void,
  options: MainOptions,
): Promise<never> {
  if (wantsHelp(options.args ?? Deno.args)) {
    console.log(options.help);
    Deno.exit(0);
  }
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    Deno.exit(report(event.reason, options.help));
  });
  let exitCode: number;
  try {
    exitCode = (await main()) ?? 0;
  } catch (error) {
    exitCode = report(error, options.help);
  }
  Deno.exit(exitCode);
}
