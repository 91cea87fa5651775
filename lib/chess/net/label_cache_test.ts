import assert from "node:assert/strict";
import { Chess } from "chess.js";
import { generatePositions, type PositionOptions } from "./build.ts";
import { cachedPositions, labelCacheFile } from "./label_cache.ts";
import type { Engine } from "./stockfish.ts";

const OPTIONS: PositionOptions = {
  count: 40,
  depth: 3,
  randomPlies: 4,
  randomMoveRate: 0.2,
  maxPlies: 24,
  seed: 7,
};

// A deterministic stand-in for Stockfish: a legal move and a score picked by a hash of the
// position. It counts its searches and, like a killed process, fails after `lives` of them.
function fakeEngine(lives = Infinity) {
  let searches = 0;
  const engine: Engine = {
    id: "Fake 1",
    analyse(fen, depth) {
      if (searches >= lives) return Promise.reject(new Error("engine killed"));
      searches++;
      let hash = depth;
      for (const char of fen) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
      const moves = new Chess(fen).moves({ verbose: true }).map((m) => m.lan).sort();
      return Promise.resolve({ bestMove: moves[hash % moves.length], scoreCp: hash % 601 - 300 });
    },
    close: () => Promise.resolve(),
  };
  return { engine, searches: () => searches };
}

Deno.test("a killed labelling resumes from its cache and a finished one is reused", async () => {
  const reference = fakeEngine();
  const expected = await generatePositions(reference.engine, OPTIONS);
  assert.equal(expected.length, OPTIONS.count);
  assert.ok(new Set(expected.map((p) => p.game)).size > 1, "several games");

  const dir = Deno.makeTempDirSync();
  const killedAfter = 17;
  await assert.rejects(
    () => cachedPositions(fakeEngine(killedAfter).engine, OPTIONS, dir),
    /engine killed/,
  );
  // A line cut off by the kill is dropped.
  const file = labelCacheFile(dir, OPTIONS, "Fake 1");
  Deno.writeTextFileSync(file, '{"fen":"rnbqkbnr/pp', { append: true });

  const resumed = fakeEngine();
  assert.deepEqual(await cachedPositions(resumed.engine, OPTIONS, dir), expected);
  assert.equal(resumed.searches(), reference.searches() - killedAfter, "only the rest searched");
  assert.equal(
    Deno.readTextFileSync(file).trim().split("\n").length,
    1 + reference.searches(),
    "the header and one line per search",
  );

  const none = fakeEngine(0);
  assert.deepEqual(await cachedPositions(none.engine, OPTIONS, dir), expected);
  assert.equal(none.searches(), 0);
});

Deno.test("the label cache is keyed by every option that changes the labels and by the engine", () => {
  const base = labelCacheFile("cache", OPTIONS, "Fake 1");
  const changes: Partial<PositionOptions>[] = [
    { count: 41 },
    { depth: 4 },
    { randomPlies: 5 },
    { randomMoveRate: 0.1 },
    { maxPlies: 25 },
    { seed: 8 },
  ];
  const files = changes.map((change) =>
    labelCacheFile("cache", { ...OPTIONS, ...change }, "Fake 1")
  );
  files.push(labelCacheFile("cache", OPTIONS, "Fake 2"));
  assert.equal(new Set([base, ...files]).size, files.length + 1);
  assert.equal(labelCacheFile("cache", { ...OPTIONS }, "Fake 1"), base);
});

Deno.test("a cache whose log does not follow the games is refused with its file named", async () => {
  const dir = Deno.makeTempDirSync();
  await cachedPositions(fakeEngine().engine, OPTIONS, dir);
  const file = labelCacheFile(dir, OPTIONS, "Fake 1");
  const lines = Deno.readTextFileSync(file).split("\n");
  lines[3] = lines[3].replace(/"fen":"[^"]*"/, '"fen":"8/8/8/8/8/8/8/K6k w - - 0 1"');
  Deno.writeTextFileSync(file, lines.join("\n"));
  await assert.rejects(
    () => cachedPositions(fakeEngine(0).engine, OPTIONS, dir),
    new RegExp(`${file}: line 4 labels`),
  );
});
