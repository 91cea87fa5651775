/**
 * Seeded bootstrap confidence intervals and small summaries for claim statistics.
 *
 * @module
 */
import { createRng } from "./rng.ts";
import { mean } from "./intervals.ts";

export { mean };

/** A point estimate with a two-sided confidence interval. */
export interface Estimate {
  /** The statistic on the observed data. */
  value: number;
  /** Lower end of the interval. */
  low: number;
  /** Upper end of the interval. */
  high: number;
  /** Number of observations (runs). */
  n: number;
}

function percentile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position), above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/**
 * Percentile bootstrap CI of a statistic of one sample (default: the mean, 95%, 10,000
 * resamples, seeded so the interval is reproducible).
 *
 * @example
 * ```ts
 * const ci = bootstrap([0.9, 1, 0.95, 0.97], { seed: 1 });
 * ```
 */
export function bootstrap(
  values: readonly number[],
  options: {
    statistic?: (sample: number[]) => number;
    level?: number;
    resamples?: number;
    seed?: number;
  } = {},
): Estimate {
  const statistic = options.statistic ?? mean;
  const n = values.length;
  if (n === 0) return { value: NaN, low: NaN, high: NaN, n: 0 };
  const rng = createRng(options.seed ?? 0);
  const resamples = options.resamples ?? 10_000;
  const stats: number[] = [];
  const sample = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = values[rng.int(n)];
    stats.push(statistic(sample));
  }
  stats.sort((a, b) => a - b);
  const alpha = (1 - (options.level ?? 0.95)) / 2;
  return {
    value: statistic([...values]),
    low: percentile(stats, alpha),
    high: percentile(stats, 1 - alpha),
    n,
  };
}

/**
 * Bootstrap CI of mean(a) - mean(b) for two independent samples.
 *
 * @example
 * ```ts
 * const difference = bootstrapDifference([0.9, 0.95], [0.5, 0.6], { seed: 2 });
 * ```
 */
export function bootstrapDifference(
  a: readonly number[],
  b: readonly number[],
  options: { level?: number; resamples?: number; seed?: number } = {},
): Estimate {
  if (a.length === 0 || b.length === 0) return { value: NaN, low: NaN, high: NaN, n: 0 };
  const rng = createRng(options.seed ?? 0);
  const resamples = options.resamples ?? 10_000;
  const stats: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sumA = 0, sumB = 0;
    for (let i = 0; i < a.length; i++) sumA += a[rng.int(a.length)];
    for (let i = 0; i < b.length; i++) sumB += b[rng.int(b.length)];
    stats.push(sumA / a.length - sumB / b.length);
  }
  stats.sort((x, y) => x - y);
  const alpha = (1 - (options.level ?? 0.95)) / 2;
  return {
    value: mean(a) - mean(b),
    low: percentile(stats, alpha),
    high: percentile(stats, 1 - alpha),
    n: Math.min(a.length, b.length),
  };
}
