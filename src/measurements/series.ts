import type { DaySamples } from "./day-samples";
import { SECONDS_PER_DAY } from "./types";

/**
 * Downsampling straight from decoded chunks (architecture.md: no rollup tables unless benchmarks ask for them).
 * Buckets start at multiples of `resolution` counted from the Unix epoch, so the same bucket has the same start in
 * every request; a resolution of 86,400 gives UTC days. Only buckets holding samples are returned.
 */

export const AGGREGATES = ["min", "max", "avg", "count", "last"] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export interface SeriesOptions {
  /** Unix seconds, inclusive. */
  start: number;
  /** Unix seconds, exclusive. */
  end: number;
  /** Bucket width in seconds, an integer 1..86400. */
  resolution: number;
  aggregates: readonly Aggregate[];
  /** Samples below this quality are left out. Default 0 (all samples). */
  minQuality?: number;
}

/** Columnar: `t[i]` is the start (Unix seconds) of the bucket whose aggregates sit at index i of each column. */
export interface Series {
  t: number[];
  min?: number[];
  max?: number[];
  avg?: number[];
  count?: number[];
  last?: number[];
}

export interface DayInput {
  /** Unix seconds of the UTC midnight. */
  day: number;
  samples: DaySamples;
}

export function aggregateSeries(days: readonly DayInput[], options: SeriesOptions): Series {
  const { start, end, resolution } = options;
  const minQuality = options.minQuality ?? 0;
  if (!Number.isInteger(resolution) || resolution < 1 || resolution > SECONDS_PER_DAY) {
    throw new RangeError(`resolution must be an integer 1..86400, got ${resolution}`);
  }
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
    throw new RangeError("start and end must be finite with start <= end");
  }
  const wanted = new Set(options.aggregates);
  const t: number[] = [];
  const columns = {
    min: wanted.has("min") ? ([] as number[]) : undefined,
    max: wanted.has("max") ? ([] as number[]) : undefined,
    avg: wanted.has("avg") ? ([] as number[]) : undefined,
    count: wanted.has("count") ? ([] as number[]) : undefined,
    last: wanted.has("last") ? ([] as number[]) : undefined,
  };

  let bucketStart = 0;
  let bucketEnd = Number.NEGATIVE_INFINITY;
  let min = 0;
  let max = 0;
  let sum = 0;
  let count = 0;
  let last = 0;
  const emit = () => {
    t.push(bucketStart);
    columns.min?.push(min);
    columns.max?.push(max);
    columns.avg?.push(sum / count);
    columns.count?.push(count);
    columns.last?.push(last);
  };

  for (const { day, samples } of sortedDays(days)) {
    if (day + SECONDS_PER_DAY <= start || day >= end) continue;
    const { seconds, values, quality } = samples;
    const from = day < start ? lowerBound(seconds, start - day) : 0;
    const to = day + SECONDS_PER_DAY > end ? lowerBound(seconds, end - day) : seconds.length;
    for (let i = from; i < to; i++) {
      if ((quality[i] as number) < minQuality) continue;
      const time = day + (seconds[i] as number);
      const value = values[i] as number;
      // Samples arrive in time order, so a bucket is complete as soon as a later one starts.
      if (time >= bucketEnd) {
        if (count > 0) emit();
        bucketStart = Math.floor(time / resolution) * resolution;
        bucketEnd = bucketStart + resolution;
        min = value;
        max = value;
        sum = 0;
        count = 0;
      }
      if (value < min) min = value;
      if (value > max) max = value;
      sum += value;
      count++;
      last = value;
    }
  }
  if (count > 0) emit();

  const series: Series = { t };
  for (const name of AGGREGATES) {
    const column = columns[name];
    if (column !== undefined) series[name] = column;
  }
  return series;
}

/** The days in ascending order; the same day twice would break the one-pass bucketing, so it is refused. */
function sortedDays(days: readonly DayInput[]): readonly DayInput[] {
  let sorted = true;
  for (let i = 1; i < days.length; i++) {
    if ((days[i] as DayInput).day <= (days[i - 1] as DayInput).day) sorted = false;
  }
  if (sorted) return days;
  const copy = [...days].sort((a, b) => a.day - b.day);
  for (let i = 1; i < copy.length; i++) {
    if ((copy[i] as DayInput).day === (copy[i - 1] as DayInput).day)
      throw new RangeError("the same day was given twice");
  }
  return copy;
}

/** First index whose second is >= target. */
function lowerBound(seconds: Int32Array, target: number): number {
  let lo = 0;
  let hi = seconds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((seconds[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
