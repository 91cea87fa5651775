/**
 * The report, its figures and charts.
 *
 * @module
 */
export * from "./chart.ts";
export * from "./figures.ts";
export * from "./lstm_section.ts";
export * from "./png.ts";
export * from "./report.ts";
