/**
 * DAYTIME_RESTING_HEART_RATE: the watch's own resting heart rate when it sent one, else the lowest heart rate
 * sustained for 5 min of awake rest. Pure. Method and sources: docs/statistics.md.
 */
import { type EpochTable, epochStart, type StatisticResult } from "../epochs";
import {
  ACTIVE,
  EPOCHS_PER_HOUR,
  EPOCHS_PER_MINUTE,
  finite,
  hours,
  INACTIVE,
  median,
  type Period,
  restContext,
  round1,
} from "./inactivity";

export const RESTING_HEART_RATE_VERSION = "1.1.0";

/** RESTING_HEART_RATE samples outside this range (bpm) are not a resting heart rate. */
const PLAUSIBLE_RESTING = { min: 30, max: 120 } as const;
/** Resting heart rate is read after at least 5 min of quiet rest (Palatini 2009). */
const WINDOW = 5 * EPOCHS_PER_MINUTE;
/** A window needs heart rate in at least half its epochs: a dropout of a minute or two does not void it. */
const MIN_WINDOW_VALUES = WINDOW / 2;
/**
 * The watch's samples speak for the day when they span at least 3 h of it, or when the watch was worn (4 h of heart
 * rate) and sent as little as one daily value. So 2 h of data is never enough.
 */
const MIN_SAMPLE_SPAN_EPOCHS = 3 * EPOCHS_PER_HOUR;
/** Below 4 h of awake heart rate the lowest window says little about the day. */
const MIN_AWAKE_EPOCHS = 4 * EPOCHS_PER_HOUR;

export type RestingSource = "RESTING_HEART_RATE" | "HEART_RATE";

const emptyData = () => ({ bpm: null, source: null, windowStart: null });

/** Mean without the single lowest and highest value, so one odd epoch moves a 5-min window neither way. */
function trimmedMean(values: number[]): number {
  if (values.length < 3) return values.reduce((a, b) => a + b, 0) / values.length;
  let sum = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return (sum - lo - hi) / (values.length - 2);
}

/** The device's RESTING_HEART_RATE samples: the awake ones, or all of the day's when none is awake. */
function fromSamples(day: EpochTable, awake: Uint8Array): StatisticResult | null {
  const awakeValues: number[] = [];
  const all: number[] = [];
  let first = -1;
  let last = -1;
  for (let i = 0; i < day.length; i++) {
    const v = day.restingHeartRate[i] as number;
    if (!finite(v) || v < PLAUSIBLE_RESTING.min || v > PLAUSIBLE_RESTING.max) continue;
    if (first < 0) first = i;
    last = i;
    all.push(v);
    if (awake[i] === 1) awakeValues.push(v);
  }
  if (all.length === 0) return null;
  if (last - first + 1 < MIN_SAMPLE_SPAN_EPOCHS) {
    let worn = 0;
    for (let i = 0; i < day.length; i++) if (finite(day.heartRate[i] as number)) worn++;
    // Too little of the day: heart rate decides, and it needs 4 h of its own.
    if (worn < MIN_AWAKE_EPOCHS) return null;
  }
  const used = awakeValues.length > 0 ? awakeValues : all;
  return {
    data: { bpm: round1(median(used)), source: "RESTING_HEART_RATE" satisfies RestingSource, windowStart: null },
    enoughData: true,
    metadata: {
      version: RESTING_HEART_RATE_VERSION,
      samples: used.length,
      samplesWindow: awakeValues.length > 0 ? "awake" : "day",
    },
  };
}

/**
 * The daytime resting heart rate of a day table. `sleep` is the night's sleep period (Unix seconds); null or absent
 * means the default night 23:00-07:00 local time.
 */
export function daytimeRestingHeartRate(day: EpochTable, sleep?: Period | null): StatisticResult {
  const ctx = restContext(day, sleep);
  const samples = fromSamples(day, ctx.awake);
  if (samples) return samples;

  const activityChecked = ctx.scale !== null;
  // Heart rate of the epochs that can be rest; NaN where an epoch cannot be, or has no heart rate.
  const rest = new Float64Array(day.length).fill(Number.NaN);
  // 1 where an epoch breaks a window: asleep, moving, or recovering from movement.
  const blocked = new Uint8Array(day.length);
  let awakeHeartRate = 0;
  for (let i = 0; i < day.length; i++) {
    const hr = day.heartRate[i] as number;
    const state = ctx.states[i];
    if (ctx.awake[i] === 1 && finite(hr)) awakeHeartRate++;
    if (ctx.awake[i] === 0 || state === ACTIVE || ctx.recovery[i] === 1) {
      blocked[i] = 1;
      continue;
    }
    // With an activity stream, only measured inactivity is rest; without one, nothing says otherwise.
    if (finite(hr) && (state === INACTIVE || !activityChecked)) rest[i] = hr;
  }

  const metadata: Record<string, unknown> = {
    version: RESTING_HEART_RATE_VERSION,
    samples: 0,
    awakeHeartRateHours: hours(awakeHeartRate),
    activityChecked,
  };
  if (awakeHeartRate < MIN_AWAKE_EPOCHS) {
    const reason = `no RESTING_HEART_RATE samples and ${hours(awakeHeartRate)} h of awake heart rate (4 h needed)`;
    return { data: emptyData(), enoughData: false, metadata: { ...metadata, reason } };
  }

  let best = Number.POSITIVE_INFINITY;
  let bestMean = Number.POSITIVE_INFINITY;
  let bestAt = -1;
  let windows = 0;
  let blockedInWindow = 0;
  for (let i = 0; i < day.length; i++) {
    blockedInWindow += blocked[i] as number;
    if (i >= WINDOW) blockedInWindow -= blocked[i - WINDOW] as number;
    if (i < WINDOW - 1 || blockedInWindow > 0) continue;
    const values: number[] = [];
    for (let k = i - WINDOW + 1; k <= i; k++) if (finite(rest[k] as number)) values.push(rest[k] as number);
    if (values.length < MIN_WINDOW_VALUES) continue;
    windows++;
    const value = trimmedMean(values);
    // Overlapping windows can trim to the same value: the one whose plain mean is lowest sits on the low level.
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    if (value < best || (value === best && mean < bestMean)) {
      best = value;
      bestMean = mean;
      bestAt = i - WINDOW + 1;
    }
  }
  metadata.restWindows = windows;
  if (bestAt < 0) {
    const reason = "no 5-min window of awake rest with heart rate";
    return { data: emptyData(), enoughData: false, metadata: { ...metadata, reason } };
  }
  return {
    data: {
      bpm: round1(best),
      source: "HEART_RATE" satisfies RestingSource,
      windowStart: new Date(epochStart(day, bestAt) * 1000).toISOString(),
    },
    enoughData: true,
    metadata,
  };
}
