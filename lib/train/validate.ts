/**
 * Checking a run configuration: every field's type and allowed range, with errors that name
 * the field ("model.boardSize 2: expected an integer in 3..64").
 *
 * @module
 */
import {
  type ModelConfig,
  QUICK_CONFIG,
  type RunConfig,
  type TrainConfig,
} from "../models/config.ts";

/** A field's rule: a number range (optionally integer), or a boolean. */
export type FieldRule =
  | { integer?: boolean; min: number; max: number; minExclusive?: boolean }
  | "boolean";

const MODEL_RULES: Record<keyof ModelConfig, FieldRule> = {
  boardSize: { integer: true, min: 3, max: 64 },
  golTimesteps: { integer: true, min: 2, max: 8 },
  modelTimesteps: { integer: true, min: 2, max: 8 },
  encodedSize: { integer: true, min: 1, max: 256 },
  encoderLayers: { integer: true, min: 1, max: 4 },
  timestepLayers: { integer: true, min: 1, max: 8 },
  decoderLayers: { integer: true, min: 1, max: 4 },
  useRnn: "boolean",
  useAutoencoder: "boolean",
};

/**
 * Rules of the training fields every run kind shares (optimizer, schedule, step budget, data
 * sizes).
 */
export const SHARED_TRAIN_RULES = {
  batchSize: { integer: true, min: 1, max: 4096 },
  learningRate: { min: 0, max: 1, minExclusive: true },
  decayRate: { min: 0, max: 1, minExclusive: true },
  decaySteps: { integer: true, min: 1, max: 1e9 },
  clipValue: { min: 0, max: 1e6, minExclusive: true },
  maxSteps: { integer: true, min: 1, max: 1e7 },
  evalInterval: { integer: true, min: 1, max: 1e7 },
  trainSequences: { integer: true, min: 1, max: 1e7 },
  evalSequences: { integer: true, min: 1, max: 1e6 },
} as const satisfies Record<string, FieldRule>;

const TRAIN_RULES: Record<keyof TrainConfig, FieldRule> = {
  ...SHARED_TRAIN_RULES,
  targetAccuracy: { min: 0, max: 1, minExclusive: true },
  freshDecoderSteps: { integer: true, min: 0, max: 1e7 },
  freshDecoderLayers: { integer: true, min: 1, max: 4 },
  adversarialSteps: { integer: true, min: 0, max: 1e7 },
  adversarialWeight: { min: 0, max: 1e3 },
  traceInterval: { integer: true, min: 1, max: 1e7 },
  ceilingSteps: { integer: true, min: 0, max: 1e7 },
};

/**
 * Checks one section of a configuration against its rules, filling missing fields from `base`;
 * errors name the field ("model.boardSize 2: expected an integer in [3, 64]").
 *
 * @example
 * ```ts
 * validateFields("train", { steps: 10 }, { steps: { integer: true, min: 1, max: 100 } }, {});
 * ```
 */
export function validateFields(
  section: string,
  value: unknown,
  rules: Record<string, FieldRule>,
  base: Record<string, unknown>,
): Record<string, unknown> {
  if (value === undefined) return { ...base };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${section}: expected an object of fields`);
  }
  const out: Record<string, unknown> = { ...base };
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const rule = rules[key];
    if (!rule) {
      throw new Error(
        `${section}.${key}: unknown field; expected one of ${Object.keys(rules).join(", ")}`,
      );
    }
    if (rule === "boolean") {
      if (typeof field !== "boolean") {
        throw new Error(`${section}.${key} ${JSON.stringify(field)}: expected true or false`);
      }
    } else {
      const range = `${rule.integer ? "an integer" : "a number"} in ${
        rule.minExclusive ? "(" : "["
      }${rule.min}, ${rule.max}]`;
      const ok = typeof field === "number" && Number.isFinite(field) &&
        (!rule.integer || Number.isInteger(field)) &&
        (rule.minExclusive ? field > rule.min : field >= rule.min) && field <= rule.max;
      if (!ok) throw new Error(`${section}.${key} ${JSON.stringify(field)}: expected ${range}`);
    }
    out[key] = field;
  }
  return out;
}

/**
 * Validates a (possibly partial) run configuration, filling missing fields from `base`
 * (default: the quick-scale defaults).
 *
 * @example
 * ```ts
 * const config = validateRunConfig({ model: { modelTimesteps: 4, golTimesteps: 4 } });
 * ```
 */
export function validateRunConfig(value: unknown, base: RunConfig = QUICK_CONFIG): RunConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error('config: expected an object with "model" and/or "train"');
  }
  const { model, train, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new Error(`config.${unknown[0]}: unknown field; expected model or train`);
  }
  const config = {
    model: validateFields(
      "model",
      model,
      MODEL_RULES,
      base.model as unknown as Record<string, unknown>,
    ),
    train: validateFields(
      "train",
      train,
      TRAIN_RULES,
      base.train as unknown as Record<string, unknown>,
    ),
  } as unknown as RunConfig;
  if (config.train.evalSequences < 1) throw new Error("train.evalSequences: expected >= 1");
  return config;
}
