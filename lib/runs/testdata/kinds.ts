/**
 * A run kind for tests of the store and the runners, with no model: `echo` returns its
 * config's `value` and a file derived from the seed, after `sleepMs` and `steps` progress
 * reports. Registered by tests with `registerKinds(KINDS, url)`.
 *
 * @module
 */
import type { RunKind } from "../kinds.ts";
import type { RunSpec } from "../store.ts";

/** An echo run's config. */
export interface EchoConfig {
  /** Returned as the result's `echo`. */
  value: number;
  /** Time it takes (default 0). */
  sleepMs?: number;
  /** Progress reports (default 2). */
  steps?: number;
}

/** The checked config of an echo spec; the error names the field. */
function echoConfig(spec: RunSpec): EchoConfig {
  const config = spec.config as Partial<EchoConfig> | null;
  if (typeof config?.value !== "number") {
    throw new Error(`config.value ${JSON.stringify(config?.value)}: expected a number`);
  }
  return config as EchoConfig;
}

/** The test kinds. */
export const KINDS: Record<string, RunKind> = {
  echo: {
    load: () =>
      Promise.resolve(async (spec, onProgress) => {
        const config = echoConfig(spec);
        const steps = config.steps ?? 2;
        for (let step = 1; step <= steps; step++) {
          await new Promise((resolve) => setTimeout(resolve, (config.sleepMs ?? 0) / steps));
          onProgress({ phase: "echo", step, steps });
        }
        return {
          result: { echo: config.value, backend: { name: "none" }, seconds: { total: 0 } },
          files: { "weights.bin": new Uint8Array([spec.seed & 255, config.value & 255]) },
        };
      }),
    resultFields: { echo: "number", "backend.name": "string" },
    checkSpec: (spec) => Promise.resolve(void echoConfig(spec)),
  },
};
