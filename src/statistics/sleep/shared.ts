/**
 * Codes, versions and small numeric helpers shared by the sleep statistics. Pure: imports only the epoch table.
 */
import { EPOCH_SECONDS, lowerBound, type StatisticResult } from "../epochs";

/** One version per statistic type: bump the minor on a method change that moves numbers, the major on a shape change. */
export const SLEEP_VERSIONS = {
  SLEEP_DURATION: "1.1.0",
  SLEEP_STAGES: "1.1.0",
  SLEEP_CYCLES: "1.1.0",
  SLEEP_HRV: "1.1.0",
  SLEEP_REGULARITY: "1.1.0",
} as const satisfies Record<string, string>;

/** Per-epoch sleep/wake codes of `classifySleepWake`. */
export const SLEEP = 1;
export const WAKE = 0;
export const NO_DATA = 2;

/** Per-epoch stage codes of `Night.stages`. */
export const STAGE_WAKE = 0;
export const STAGE_LIGHT = 1;
export const STAGE_DEEP = 2;
export const STAGE_REM = 3;

/** Epochs per minute, and minutes of a count of epochs. */
export const EPOCHS_PER_MINUTE = 60 / EPOCH_SECONDS;
export const minutes = (epochs: number): number => epochs / EPOCHS_PER_MINUTE;

export const isoOf = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** Rounds to `digits` decimals (statistics are reported, not computed further). */
export const round = (value: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** The q-quantile (0..1, linear interpolation) of the finite values; NaN when there are none. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) finite.push(v);
  }
  return quantileOfSorted(
    finite.sort((a, b) => a - b),
    q,
  );
}

export function quantileOfSorted(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

/** A result whose every data key is null, with the reason in metadata: clients rely on a stable shape. */
export function notEnough(keys: readonly string[], reason: string, metadata: Record<string, unknown>): StatisticResult {
  const data: Record<string, unknown> = {};
  for (const key of keys) data[key] = null;
  return { data, enoughData: false, metadata: { ...metadata, reason } };
}

/**
 * The median of the finite values of `values` in [j − r, j + r] (clipped to the array) for every j: the same as
 * `quantile` of each window at 0.5, with one sorted window slid along instead of a sort per position.
 */
export function movingMedian(values: ArrayLike<number>, r: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const window: number[] = [];
  const add = (k: number) => {
    const v = values[k] as number;
    if (Number.isFinite(v)) window.splice(lowerBound(window, v), 0, v);
  };
  const remove = (k: number) => {
    const v = values[k] as number;
    if (Number.isFinite(v)) window.splice(lowerBound(window, v), 1);
  };
  for (let k = 0; k <= Math.min(n - 1, r); k++) add(k);
  for (let j = 0; j < n; j++) {
    out[j] = quantileOfSorted(window, 0.5);
    if (j - r >= 0) remove(j - r);
    if (j + r + 1 < n) add(j + r + 1);
  }
  return out;
}
