import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { barChart } from "./chart.ts";
import { imaginationFigure } from "./figures.ts";

/** Width, height and the RGB rows of a PNG written by encodePng. */
function decode(png: Uint8Array): { width: number; height: number; ink: number } {
  const view = new DataView(png.buffer, png.byteOffset);
  const width = view.getUint32(16), height = view.getUint32(20);
  const raw = new Uint8Array(inflateSync(png.subarray(41, 41 + view.getUint32(33))));
  let ink = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * (width * 3 + 1) + 1 + x * 3;
      if (raw[at] === 30 && raw[at + 1] === 30 && raw[at + 2] === 30) ink++;
    }
  }
  return { width, height, ink };
}

const board = [0, 1, 1, 0];

Deno.test("the imagination figure labels its boards and marks trained indices", () => {
  const sequence = { truth: [board, board, board], decoded: [board, board, board] };
  const plain = decode(imaginationFigure([sequence], 2, 2, { cell: 10 }));
  const marked = decode(imaginationFigure([sequence], 2, 2, { cell: 10, trainedIndices: [0, 2] }));
  assert.ok(plain.ink > 0, "labels are drawn in ink");
  assert.ok(marked.height > plain.height, "a legend line explains the mark");
  assert.ok(marked.ink > plain.ink, "trained indices carry a mark");
});

Deno.test("the bar chart has axes, group labels and a legend", () => {
  const series = [{
    label: "valid",
    values: [0.5, 1],
    color: [31, 119, 180] as [number, number, number],
  }];
  const unlabelled = decode(barChart(["", ""], series, { xLabel: "", yLabel: "" }));
  const labelled = decode(
    barChart(["input", "block0"], series, { xLabel: "layer", yLabel: "fraction" }),
  );
  assert.ok(unlabelled.ink > 0, "axes and ticks are drawn");
  assert.ok(labelled.ink > unlabelled.ink, "group names and titles are written");
});
