/**
 * The main sleep period of a night: the longest period of sleep that ends in the night's window, its time in bed and
 * its stages. Bouts of sleep join into one period across up to 60 min of wake (and up to 3 h of gap in all), as
 * GGIR's sleep period time window joins rest across gaps under 60 min (van Hees et al. 2018, Sci Rep 8:12975).
 * Time in bed extends the period over the quiet wake next to it: back to where data starts or the wearer was last up
 * (walking, a workout, moving on average 3 typical movements per epoch over 5.5 min), at most 60 min before onset;
 * forward the same way, at most 30 min.
 */
import { EPOCH_SECONDS, type EpochTable, epochStart } from "../epochs";
import { EPOCHS_PER_MINUTE, isoOf, NO_DATA, SLEEP, WAKE } from "./shared";
import { classifyWith, runsOf, sleepFeatures } from "./sleep-wake";
import { stageNight } from "./staging";

export interface Night {
  /** The analysis window it was found in. */
  table: EpochTable;
  /** classifySleepWake(table). */
  sleepWake: Uint8Array;
  /** Unix s: bounds of the main sleep period (time in bed). */
  inBedStart: number;
  inBedEnd: number;
  /** Unix s: start of the first sleep epoch, end of the last sleep epoch. */
  onset: number;
  wake: number;
  /** Per epoch of [inBedStart, inBedEnd): STAGE_*. */
  stages: Uint8Array;
  /** Fraction 0..1 of the period's epochs with data. */
  coverage: number;
}

export type NightResult = { night: Night } | { night: null; reason: string };

/** Enough data: a period (time in bed) of at least 3 h of which at least 80 % of the epochs have data. */
export const MIN_PERIOD_HOURS = 3;
export const MIN_COVERAGE = 0.8;

const MERGE_WAKE_EPOCHS = 60 * EPOCHS_PER_MINUTE;
const MERGE_GAP_EPOCHS = 180 * EPOCHS_PER_MINUTE;
const BEFORE_ONSET_EPOCHS = 60 * EPOCHS_PER_MINUTE;
const AFTER_WAKE_EPOCHS = 30 * EPOCHS_PER_MINUTE;
const UP_MOVEMENT = 3;

/**
 * The main sleep period (the longest) that ENDS in [endsFrom, endsBefore). The caller passes a table covering local
 * [D-1 12:00, D 18:00) and endsFrom = D-1 18:00, endsBefore = D 18:00 (a night belongs to the local date on which it
 * ends).
 */
export function findNight(table: EpochTable, window: { endsFrom: number; endsBefore: number }): NightResult {
  const features = sleepFeatures(table);
  const sleepWake = classifyWith(table, features);
  const runs = runsOf(sleepWake);
  if (!runs.some(([code]) => code !== NO_DATA))
    return { night: null, reason: "no activity or heart rate was recorded" };

  // Periods: [first, last] sleep epochs, joined across short enough wake and gaps.
  const periods: Array<[number, number]> = [];
  let current: [number, number] | null = null;
  let wakeInGap = 0;
  for (const [code, start, end] of runs) {
    if (code !== SLEEP) {
      if (code === WAKE) wakeInGap += end - start;
      continue;
    }
    if (current && wakeInGap <= MERGE_WAKE_EPOCHS && start - current[1] - 1 <= MERGE_GAP_EPOCHS) current[1] = end - 1;
    else {
      current = [start, end - 1];
      periods.push(current);
    }
    wakeInGap = 0;
  }
  let main: [number, number] | null = null;
  for (const period of periods) {
    const ends = epochStart(table, period[1] + 1);
    if (ends < window.endsFrom || ends >= window.endsBefore) continue;
    if (!main || period[1] - period[0] > main[1] - main[0]) main = period;
  }
  if (!main) {
    return {
      night: null,
      reason: `no sleep was found that ends between ${isoOf(window.endsFrom)} and ${isoOf(window.endsBefore)}`,
    };
  }
  const [first, last] = main;
  // Up, not in bed: walking, a workout, or moving on average 3 typical movements per epoch (near the cap of 4) over 5.5 min.
  const quiet = (i: number): boolean => {
    if (sleepWake[i] !== WAKE || (table.cadence[i] as number) >= 40 || table.workout[i] === 1) return false;
    let sum = 0;
    let count = 0;
    for (let k = Math.max(0, i - 5); k <= Math.min(table.length - 1, i + 5); k++) {
      const m = features.movement[k] as number;
      if (!Number.isNaN(m)) {
        sum += m;
        count++;
      }
    }
    return count === 0 || sum / count < UP_MOVEMENT;
  };
  let from = first;
  while (from > 0 && first - from < BEFORE_ONSET_EPOCHS && quiet(from - 1)) from--;
  let to = last + 1;
  while (to < table.length && to - last - 1 < AFTER_WAKE_EPOCHS && quiet(to)) to++;

  let withData = 0;
  for (let i = from; i < to; i++) if (sleepWake[i] !== NO_DATA) withData++;
  return {
    night: {
      table,
      sleepWake,
      inBedStart: epochStart(table, from),
      inBedEnd: epochStart(table, to),
      onset: epochStart(table, first),
      wake: epochStart(table, last + 1),
      stages: stageNight(table, features, sleepWake, from, to, first, last + 1),
      coverage: withData / (to - from),
    },
  };
}

/** Epoch index of a Unix second inside the night's table. */
export const indexOf = (night: Night, t: number): number => Math.round((t - night.table.start) / EPOCH_SECONDS);

/** Why a night cannot be reported (null when it can): no period, too short, or too little data. */
export function nightShortfall(result: NightResult): string | null {
  if (!result.night) return result.reason;
  const { night } = result;
  const hours = (night.inBedEnd - night.inBedStart) / 3600;
  if (hours < MIN_PERIOD_HOURS) {
    return `the main sleep period found is ${hours.toFixed(1)} h long; at least ${MIN_PERIOD_HOURS} h are needed`;
  }
  if (night.coverage < MIN_COVERAGE) {
    return `only ${Math.round(night.coverage * 100)} % of the sleep period has data; at least ${MIN_COVERAGE * 100} % is needed`;
  }
  return null;
}

/** What the night was measured with, for metadata: inputs, confidence and coverage. */
export function nightInputs(result: NightResult): Record<string, unknown> {
  if (!result.night) return { activitySource: null, inputs: "none", confidence: null, coverage: 0 };
  const { night } = result;
  const { table } = night;
  const from = indexOf(night, night.inBedStart);
  const to = indexOf(night, night.inBedEnd);
  let motion = 0;
  let heart = 0;
  for (let i = from; i < to; i++) {
    if (!Number.isNaN(table.activity[i] as number)) motion++;
    if (!Number.isNaN(table.heartRate[i] as number)) heart++;
  }
  const half = (to - from) / 2;
  const hasMotion = motion >= half;
  const hasHeart = heart >= half;
  const inputs = hasMotion && hasHeart ? "motion and heart rate" : hasMotion ? "motion only" : "heart rate only";
  return {
    activitySource: hasMotion ? table.activitySource : null,
    inputs,
    confidence: hasMotion && hasHeart ? "normal" : "lower",
    coverage: Math.round(night.coverage * 1000) / 1000,
  };
}
