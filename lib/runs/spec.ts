/**
 * What identifies a run: the run store hashes it, the run kinds execute it.
 *
 * @module
 */

/** What identifies a run. */
export interface RunSpec {
  /** Which trainer runs it ("gol", "lstm", ...). */
  kind: string;
  /** The trainer's whole configuration (plain JSON). */
  config: unknown;
  /** The run's seed. */
  seed: number;
  /** The scale it belongs to ("quick", "paper", "custom"). */
  scale: string;
}
