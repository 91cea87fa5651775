import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { Canvas, encodePng } from "./png.ts";

Deno.test("encodePng writes a valid PNG whose pixels decode back", () => {
  const rgb = Uint8Array.from({ length: 3 * 4 * 3 }, (_, i) => (i * 37) % 256);
  const png = encodePng(4, 3, rgb);
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(png.buffer);
  assert.equal(view.getUint32(16), 4);
  assert.equal(view.getUint32(20), 3);
  const idatLength = view.getUint32(33);
  const raw = new Uint8Array(inflateSync(png.subarray(41, 41 + idatLength)));
  for (let y = 0; y < 3; y++) {
    assert.equal(raw[y * 13], 0);
    assert.deepEqual([...raw.subarray(y * 13 + 1, y * 13 + 13)], [
      ...rgb.subarray(y * 12, y * 12 + 12),
    ]);
  }
});

Deno.test("a board is drawn dark where alive and light where dead", () => {
  const canvas = new Canvas(10, 10);
  canvas.board(1, 1, [1, 0, 0, 0.5], 2, 2, 4);
  assert.deepEqual([...canvas.rgb.subarray((1 * 10 + 1) * 3, (1 * 10 + 1) * 3 + 3)], [0, 0, 0]);
  assert.deepEqual([...canvas.rgb.subarray((1 * 10 + 5) * 3, (1 * 10 + 5) * 3 + 3)], [
    255,
    255,
    255,
  ]);
  assert.deepEqual([...canvas.rgb.subarray((5 * 10 + 5) * 3, (5 * 10 + 5) * 3 + 3)], [
    128,
    128,
    128,
  ]);
});

Deno.test("text is drawn in the colour asked for, glyph by glyph, and measured", () => {
  const canvas = new Canvas(20, 7);
  const width = canvas.text(1, 1, "h(0)", [0, 0, 0]);
  assert.equal(width, 15);
  const dark = (x: number, y: number) => canvas.rgb[(y * 20 + x) * 3] === 0;
  // "h": left column set on every row, middle column only on the bar row.
  assert.deepEqual([1, 2, 3, 4, 5].map((y) => dark(1, y)), [true, true, true, true, true]);
  assert.deepEqual([1, 2, 3, 4, 5].map((y) => dark(2, y)), [false, false, true, false, false]);
  assert.equal(dark(17, 3), false, "nothing past the text");
});
