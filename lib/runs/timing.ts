/**
 * How long a stored run took, read from its result: the sweep's ETA and the report's time
 * column read it the same way.
 *
 * @module
 */

/**
 * The seconds a run took, from its result's `seconds`: `total`, but never less than the sum of
 * the phases beside it (every field but `total` and `cpu`). A run resumed from a checkpoint
 * before 2026-12-07 recorded in `total` only the time since its last resume, while its phases
 * carry their time across resumes. Null when the result records no time.
 *
 * @example
 * ```ts
 * runSeconds({ seconds: { model: 900, adversarial: 180, total: 4 } }); // 1080
 * ```
 */
export function runSeconds(result: unknown): number | null {
  const seconds = (result as { seconds?: Record<string, unknown> } | null)?.seconds;
  if (typeof seconds !== "object" || seconds === null) return null;
  let phases = 0;
  for (const [name, value] of Object.entries(seconds)) {
    if (name !== "total" && name !== "cpu" && typeof value === "number" && value > 0) {
      phases += value;
    }
  }
  const total = typeof seconds.total === "number" && seconds.total > 0 ? seconds.total : 0;
  const best = Math.max(total, phases);
  return Number.isFinite(best) && best > 0 ? best : null;
}
