/**
 * Small charts: an SVG line chart for learning curves, a PNG bar chart for per-layer measures.
 *
 * @module
 */
import { Canvas, GLYPH_HEIGHT, textWidth } from "./png.ts";

const COLORS = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
];

/** One line: a label and its (x, y) points. */
export interface Series {
  /** Legend label. */
  label: string;
  /** Points in x order. */
  points: [number, number][];
}

/**
 * Draws series as an SVG document.
 *
 * @example
 * ```ts
 * const svg = lineChart([{ label: "h(1)", points: [[0, 0.9], [100, 0.95]] }], { xLabel: "step", yLabel: "accuracy" });
 * ```
 */
export function lineChart(
  series: readonly Series[],
  options: {
    xLabel: string;
    yLabel: string;
    yMin?: number;
    yMax?: number;
    width?: number;
    height?: number;
  },
): string {
  const width = options.width ?? 640, height = options.height ?? 360;
  const left = 60, right = 150, top = 20, bottom = 45;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xMin = Math.min(...xs), xMax = Math.max(...xs);
  const yMin = options.yMin ?? Math.min(...ys), yMax = options.yMax ?? Math.max(...ys);
  const px = (x: number) => left + ((x - xMin) / (xMax - xMin || 1)) * (width - left - right);
  const py = (y: number) =>
    top +
    (1 - (Math.min(yMax, Math.max(yMin, y)) - yMin) / (yMax - yMin || 1)) * (height - top - bottom);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${
      height - bottom
    }" stroke="black"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="black"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = yMin + (i / 4) * (yMax - yMin), x = xMin + (i / 4) * (xMax - xMin);
    parts.push(
      `<text x="${left - 6}" y="${py(y) + 4}" text-anchor="end">${y.toFixed(2)}</text>`,
      `<line x1="${left}" y1="${py(y)}" x2="${width - right}" y2="${py(y)}" stroke="#ddd"/>`,
      `<text x="${px(x)}" y="${height - bottom + 16}" text-anchor="middle">${Math.round(x)}</text>`,
    );
  }
  parts.push(
    `<text x="${(left + width - right) / 2}" y="${
      height - 8
    }" text-anchor="middle">${options.xLabel}</text>`,
    `<text x="14" y="${
      (top + height - bottom) / 2
    }" text-anchor="middle" transform="rotate(-90 14 ${
      (top + height - bottom) / 2
    })">${options.yLabel}</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const path = s.points.map((p, k) =>
      `${k === 0 ? "M" : "L"}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`
    ).join(" ");
    parts.push(
      `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`,
      `<rect x="${width - right + 10}" y="${
        top + i * 18
      }" width="12" height="12" fill="${color}"/>`,
      `<text x="${width - right + 28}" y="${top + i * 18 + 10}">${s.label}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** One bar series of {@link barChart}: a legend label and a value per group. */
export interface BarSeries {
  /** Legend label. */
  label: string;
  /** One value per group, in the y range. */
  values: readonly number[];
  /** RGB colour. */
  color: [number, number, number];
}

/**
 * Draws grouped bars as PNG with a y axis (ticks and gridlines at tenths of the range, a
 * title), a labelled x axis (one label per group) and a legend.
 *
 * @example
 * ```ts
 * const png = barChart(["input", "block0"], [
 *   { label: "valid", values: [0.9, 0.4], color: [31, 119, 180] },
 * ], { xLabel: "layer", yLabel: "fraction" });
 * ```
 */
export function barChart(
  groups: readonly string[],
  series: readonly BarSeries[],
  options: { xLabel: string; yLabel: string; yMin?: number; yMax?: number; height?: number },
): Uint8Array {
  const yMin = options.yMin ?? 0, yMax = options.yMax ?? 1;
  const plotHeight = options.height ?? 160, bar = 6, groupGap = 10, tick = 4;
  const ink: [number, number, number] = [30, 30, 30];
  const group = Math.max(
    series.length * bar + groupGap,
    Math.max(...groups.map((name) => textWidth(name))) + 6,
  );
  const tickLabels = Array.from({ length: 11 }, (_, i) => {
    const value = yMin + (i / 10) * (yMax - yMin);
    return Number.isInteger(value) ? String(value) : value.toFixed(1);
  });
  const left = 8 + GLYPH_HEIGHT + 6 + Math.max(...tickLabels.map((t) => textWidth(t))) + tick + 2;
  const top = 8, plotWidth = Math.max(group * groups.length, textWidth(options.xLabel));
  const legendWidth = 12 + Math.max(...series.map((s) => textWidth(s.label))) + 8;
  const bottom = top + plotHeight;
  const canvas = new Canvas(
    left + plotWidth + 12 + legendWidth,
    bottom + 2 * (GLYPH_HEIGHT + 6) + 6,
  );
  const y = (value: number) =>
    bottom -
    Math.round((Math.min(yMax, Math.max(yMin, value)) - yMin) / (yMax - yMin) * plotHeight);
  tickLabels.forEach((text, i) => {
    const at = bottom - Math.round(i * plotHeight / 10);
    canvas.fill(left, at, plotWidth, 1, [225, 225, 225]);
    canvas.fill(left - tick, at, tick, 1, ink);
    canvas.text(left - tick - 2 - textWidth(text), at - 2, text, ink);
  });
  groups.forEach((name, g) => {
    series.forEach((s, i) => {
      const height = bottom - y(s.values[g]);
      canvas.fill(left + g * group + i * bar, bottom - height, bar - 1, height, s.color);
    });
    const center = left + g * group + (series.length * bar) / 2;
    canvas.text(Math.round(center - textWidth(name) / 2), bottom + 4, name, ink);
  });
  canvas.fill(left - 1, top, 1, plotHeight + 1, ink);
  canvas.fill(left - 1, bottom, plotWidth + 1, 1, ink);
  canvas.text(
    Math.round(left + plotWidth / 2 - textWidth(options.xLabel) / 2),
    bottom + GLYPH_HEIGHT + 10,
    options.xLabel,
    ink,
  );
  // The y title, written downwards one letter per line.
  [...options.yLabel].forEach((char, i) => canvas.text(6, top + i * (GLYPH_HEIGHT + 1), char, ink));
  series.forEach((s, i) => {
    const x = left + plotWidth + 12, at = top + i * (GLYPH_HEIGHT + 5);
    canvas.fill(x, at, 8, GLYPH_HEIGHT, s.color);
    canvas.text(x + 12, at, s.label, ink);
  });
  return canvas.png();
}
