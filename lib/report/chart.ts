/**
 * A small SVG line chart, enough for learning curves and per-layer measures.
 *
 * @module
 */

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
