/**
 * The fitted parts of the sleep statistics: logistic models over the features of features.ts. Each model names its
 * inputs, the mean and standard deviation they are standardized with (a missing input counts as the mean), its
 * weights and its bias. The coefficients live in model-coefficients.ts, written by `npm run fit:sleep`
 * (scripts/fit-sleep-model.ts), which fits them on the development nights and reports every figure leave-one-night-out.
 * Pure.
 */
import { FEATURE_COUNT, FEATURES, type Feature } from "./features";

export interface LogisticModel {
  inputs: readonly StageInput[];
  mean: readonly number[];
  scale: readonly number[];
  weights: readonly number[];
  bias: number;
}

/** Every fitted part: sleep/wake with both inputs, motion only, heart rate only; then REM and deep among sleep. */
export interface SleepModel {
  sleep: { both: LogisticModel; motion: LogisticModel; heart: LogisticModel };
  /** An epoch is sleep when its probability reaches this (per input set). */
  threshold: { both: number; motion: number; heart: number };
  /** REM against NREM, and deep against light NREM, over sleep epochs (with the night-position inputs). */
  rem: LogisticModel;
  deep: LogisticModel;
  /**
   * How much of sleep is REM and deep, by hour since onset (the last entry stands for every later hour): a night's
   * REM and deep minutes are the sum of these over its sleep epochs, and the models only choose which epochs.
   */
  stageShare: { rem: readonly number[]; deep: readonly number[] };
}

/** Extra stage inputs, appended after the epoch features: position in the sleep period. */
export const STAGE_EXTRA = ["hoursSinceOnset", "fractionOfPeriod"] as const;
export type StageInput = Feature | (typeof STAGE_EXTRA)[number];

const INDEX = new Map<string, number>([...FEATURES, ...STAGE_EXTRA].map((name, i) => [name, i]));

/** The column of each input in a row of FEATURE_COUNT (+ STAGE_EXTRA) values. */
export function columnsOf(model: Pick<LogisticModel, "inputs">): Int32Array {
  return Int32Array.from(model.inputs, (name) => {
    const i = INDEX.get(name);
    if (i === undefined) throw new Error(`unknown model input ${name}`);
    return i;
  });
}

/** The model's probability for the row at `offset` of `values` (inputs looked up by `columns`). */
export function probability(
  model: LogisticModel,
  columns: Int32Array,
  values: ArrayLike<number>,
  offset: number,
): number {
  let z = model.bias;
  for (let k = 0; k < columns.length; k++) {
    const v = values[offset + (columns[k] as number)] as number;
    if (Number.isNaN(v)) continue;
    z += (model.weights[k] as number) * ((v - (model.mean[k] as number)) / (model.scale[k] as number));
  }
  return 1 / (1 + Math.exp(-z));
}

/** Values per epoch in the features' rows, and in the stage rows (the features, then STAGE_EXTRA). */
export const ROW = FEATURE_COUNT;
export const STAGE_ROW = FEATURE_COUNT + STAGE_EXTRA.length;
