/**
 * The order in which a sweep trains the runs its claims lack: claims are completed one at a
 * time, the one with the least left first, so verdicts land as early as the runs allow. A claim
 * waits for all of its runs (a verdict is never taken from part of them), so training runs of
 * many claims side by side gives no verdict until late; this order gives the cheap claims'
 * verdicts first and leaves the costliest group for last.
 *
 * Order only: every run is trained from its own spec and seed, so the numbers are the same in
 * any order.
 *
 * @module
 */
import { type RunSpec, specHash } from "../runs/store.ts";

/**
 * A run's relative cost, for breaking ties between claims with as many runs left: the model
 * timesteps of a Game of Life run (each costs a forward and backward pass through the step
 * block, and longer rollouts take more steps to converge), 1 for any other run.
 *
 * @example
 * ```ts
 * runCost({ kind: "gol", config: { model: { modelTimesteps: 4 } }, seed: 1 }); // 4
 * ```
 */
export function runCost(spec: RunSpec): number {
  const model = (spec.config as { model?: { modelTimesteps?: unknown } }).model;
  return spec.kind === "gol" && typeof model?.modelTimesteps === "number"
    ? model.modelTimesteps
    : 1;
}

/**
 * The missing runs of `claims` (each claim's specs, in claim order), in the order that
 * completes claims soonest: repeatedly the claim with the fewest runs left (then the lowest
 * summed {@link runCost}, then the earlier claim), all of its runs left at once. Runs shared
 * between claims are listed once. `stored(spec)` says whether a run is already there.
 *
 * @example
 * ```ts
 * const order = completionOrder(specsPerClaim, (spec) => recorded.has(specHash(spec)));
 * ```
 */
export function completionOrder(
  claims: readonly (readonly RunSpec[])[],
  stored: (spec: RunSpec) => boolean,
): RunSpec[] {
  const left = claims.map((specs) => {
    const missing = new Map<string, RunSpec>();
    for (const spec of specs) if (!stored(spec)) missing.set(specHash(spec), spec);
    return missing;
  });
  const order: RunSpec[] = [];
  const scheduled = new Set<string>();
  const cost = (missing: Map<string, RunSpec>) =>
    [...missing.values()].reduce((sum, spec) => sum + runCost(spec), 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < left.length; i++) {
      if (left[i].size === 0) continue;
      if (
        best < 0 || left[i].size < left[best].size ||
        (left[i].size === left[best].size && cost(left[i]) < cost(left[best]))
      ) best = i;
    }
    if (best < 0) return order;
    for (const [hash, spec] of left[best]) {
      if (scheduled.has(hash)) continue;
      scheduled.add(hash);
      order.push(spec);
    }
    for (const missing of left) for (const hash of scheduled) missing.delete(hash);
  }
}
