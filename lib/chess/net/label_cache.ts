/**
 * Resumable labelling: Stockfish's labels cached as they land, so a killed labelling run
 * resumes where it stopped and a finished one is reused without a search.
 *
 * The cache is one append-only file per labelling (JSON lines): a header with the options and
 * the engine's version line, then one line per engine search, in the order
 * {@link generatePositions} asked for them (positions it then skips as repeats included, since
 * the games continue with their moves). Started again, the games are replayed from the seed
 * with the logged labels, and the engine is asked only past the end of the log. A line cut off
 * by a kill is dropped.
 *
 * Stockfish keeps a hash table between searches, so labels searched after a resume can differ
 * in rare positions from those an uninterrupted run would have found (the positions before the
 * kill are the same); a finished cache always gives the same positions.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { stableJson } from "../../runs/store.ts";
import { generatePositions, type LabelledPosition, type PositionOptions } from "./build.ts";
import type { Engine, EngineLabel } from "./stockfish.ts";

/** One logged search. */
interface LoggedLabel extends EngineLabel {
  /** The position searched. */
  fen: string;
}

/**
 * The cache file of a labelling in `dir`: named by everything that changes the labels (the
 * options and the engine's version line).
 *
 * @example
 * ```ts
 * labelCacheFile("runs/chess-build", options, engine.id); // "runs/chess-build/labels-24000-d8-s1-3f2a....jsonl"
 * ```
 */
export function labelCacheFile(dir: string, options: PositionOptions, engineId: string): string {
  const key = createHash("sha256").update(stableJson({ options, engine: engineId })).digest("hex")
    .slice(0, 16);
  return `${dir}/labels-${options.count}-d${options.depth}-s${options.seed}-${key}.jsonl`;
}

function readLog(file: string, header: string): LoggedLabel[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  // A kill while a line was written leaves it without its newline: drop it.
  const complete = text.lastIndexOf("\n") + 1;
  if (complete < text.length) {
    Deno.truncateSync(file, new TextEncoder().encode(text.slice(0, complete)).length);
  }
  const lines = text.slice(0, complete).split("\n").filter(Boolean);
  if (lines.length > 0 && lines[0] !== header) {
    throw new Error(`${file}: its header differs from this labelling's (${header}); delete it`);
  }
  return lines.slice(1).map((line) => JSON.parse(line) as LoggedLabel);
}

/**
 * {@link generatePositions} with its labels cached in `dir` (created if missing): resumes a
 * killed labelling from its log and reuses a finished one.
 *
 * @example
 * ```ts
 * const engine = await openStockfish();
 * const positions = await cachedPositions(engine, options, "runs/chess-build");
 * await engine.close();
 * ```
 */
export async function cachedPositions(
  engine: Engine,
  options: PositionOptions,
  dir: string,
  onProgress: (done: number) => void = () => {},
): Promise<LabelledPosition[]> {
  Deno.mkdirSync(dir, { recursive: true });
  const file = labelCacheFile(dir, options, engine.id);
  const header = stableJson({ options, engine: engine.id });
  const log = readLog(file, header);
  if (log.length === 0) Deno.writeTextFileSync(file, header + "\n");
  let next = 0;
  const logged: Engine = {
    id: engine.id,
    async analyse(fen, depth) {
      if (next < log.length) {
        const { fen: searched, ...label } = log[next++];
        if (searched !== fen) {
          throw new Error(
            `${file}: line ${next + 1} labels "${searched}" where the games reach "${fen}"; ` +
              "delete it",
          );
        }
        return label;
      }
      const label = await engine.analyse(fen, depth);
      Deno.writeTextFileSync(file, JSON.stringify({ fen, ...label }) + "\n", { append: true });
      next++;
      return label;
    },
    close: () => engine.close(),
  };
  return await generatePositions(logged, options, onProgress);
}
