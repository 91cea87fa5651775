/**
 * A Stockfish engine over UCI in a subprocess, for labelling positions with a best move and
 * an evaluation. Used only by the one-off network build (`deno task chess:build`), never by the
 * tests: install it with `apt-get install stockfish` (Debian puts it in /usr/games).
 *
 * @module
 */

/** Stockfish's verdict on a position. */
export interface EngineLabel {
  /** Best move in UCI notation (e2e4, e7e8q). */
  bestMove: string;
  /** Score for the side to move in centipawns; mates are +-10000 less the distance. */
  scoreCp: number;
}

/** An open engine. */
export interface Engine {
  /** The engine's name and version as it reports them (UCI `id name`), e.g. "Stockfish 16". */
  id: string;
  /** Analyses a position to a fixed depth. */
  analyse(fen: string, depth: number): Promise<EngineLabel>;
  /** Ends the engine process. */
  close(): Promise<void>;
}

const CANDIDATES = ["stockfish", "/usr/games/stockfish"];

/**
 * Starts Stockfish (single thread, small hash) and waits until it is ready.
 *
 * @example
 * ```ts
 * const engine = await openStockfish();
 * const { bestMove } = await engine.analyse("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1", 8);
 * await engine.close();
 * ```
 */
export async function openStockfish(path?: string): Promise<Engine> {
  let child: Deno.ChildProcess | null = null;
  for (const candidate of path ? [path] : CANDIDATES) {
    try {
      child = new Deno.Command(candidate, { stdin: "piped", stdout: "piped", stderr: "null" })
        .spawn();
      break;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  if (!child) {
    throw new Error(
      `Stockfish not found (tried ${(path ? [path] : CANDIDATES).join(", ")}); install it with ` +
        "`apt-get install stockfish` or pass --stockfish PATH",
    );
  }
  const process = child;
  const writer = process.stdin.getWriter();
  const lines = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  async function send(command: string): Promise<void> {
    await writer.write(new TextEncoder().encode(command + "\n"));
  }
  async function readUntil(prefix: string): Promise<string[]> {
    const seen: string[] = [];
    while (true) {
      const newline = buffer.indexOf("\n");
      if (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        seen.push(line);
        if (line.startsWith(prefix)) return seen;
        continue;
      }
      const { value, done } = await lines.read();
      if (done) throw new Error(`Stockfish exited while we waited for "${prefix}"`);
      buffer += value;
    }
  }
  await send("uci");
  const id = (await readUntil("uciok")).find((line) => line.startsWith("id name "))
    ?.slice("id name ".length) ?? "unknown UCI engine";
  await send("setoption name Threads value 1");
  await send("setoption name Hash value 16");
  await send("isready");
  await readUntil("readyok");
  return {
    id,
    async analyse(fen, depth) {
      await send(`position fen ${fen}`);
      await send(`go depth ${depth}`);
      const seen = await readUntil("bestmove");
      let scoreCp = 0;
      for (const line of seen) {
        const match = line.match(/ score (cp|mate) (-?\d+)/);
        if (!match) continue;
        const value = Number(match[2]);
        scoreCp = match[1] === "cp" ? value : Math.sign(value) * (10000 - Math.abs(value));
      }
      const bestMove = seen[seen.length - 1].split(/\s+/)[1];
      if (!bestMove || bestMove === "(none)") throw new Error(`Stockfish has no move in "${fen}"`);
      return { bestMove, scoreCp };
    },
    async close() {
      await send("quit");
      await writer.close();
      await lines.cancel();
      await process.status;
    },
  };
}
