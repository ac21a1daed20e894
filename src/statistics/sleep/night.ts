/**
 * The main sleep period of a night: the longest period of sleep that ends in the night's window, its time in bed and
 * its stages. Bouts of sleep join into one period across up to 60 min of wake (and up to 3 h of gap in all), as
 * GGIR's sleep period time window joins rest across gaps under 60 min (van Hees et al. 2018, Sci Rep 8:12975).
 * Onset and wake are persistent sleep: the first sleep epoch followed by at least 80 % sleep over the next 10 min of
 * data, and the last one preceded by as much. Motion leads where it covers the period (heart rate alone at its edges
 * does not stretch the night); without it, heart rate must have settled to the night's median at onset and wake.
 * Time in bed extends the period over the quiet wake next to it: back to where data starts or the wearer was last up
 * (walking, a workout, the heart rate of the day, or moving almost continuously), at most 60 min before onset;
 * forward the same way, at most 30 min.
 */
import { EPOCH_SECONDS, type EpochTable, epochStart } from "../epochs";
import { type EpochFeatures, FEATURES } from "./features";
import type { SleepModel } from "./model";
import { SLEEP_MODEL } from "./model-coefficients";
import { EPOCHS_PER_MINUTE, isoOf, NO_DATA, SLEEP, WAKE } from "./shared";
import { runsOf, type SleepScores, scoreSleep } from "./sleep-wake";
import { stageNight } from "./staging";

export interface Night {
  /** The analysis window it was found in. */
  table: EpochTable;
  /** Sleep, wake or no data per epoch of the table: the model's codes, wake before onset and after the wake time. */
  sleepWake: Uint8Array;
  /** What the night was scored from: the features (motion where it was read) and the model's per-epoch scores. */
  scores: SleepScores;
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
/** The share of epochs moving more than the night's mean, within 2.5 min, at which the wearer is up. */
const UP_SHARE = 0.8;
/** Persistent sleep: at least this share of the 10 min that follow onset (precede the wake time) with data is sleep. */
const PERSISTENT_EPOCHS = 10 * EPOCHS_PER_MINUTE;
const PERSISTENT_SHARE = 0.8;
/** A leading stretch of sleep under 60 min followed by at least 20 min of wake is dozing before bed. */
const DOZE_EPOCHS = 60 * EPOCHS_PER_MINUTE;
const DOZE_WAKE_EPOCHS = 20 * EPOCHS_PER_MINUTE;

/**
 * The main sleep period (the longest) that ENDS in [endsFrom, endsBefore). The caller passes a table covering local
 * [D-1 12:00, D 18:00) and endsFrom = D-1 18:00, endsBefore = D 18:00 (a night belongs to the local date on which it
 * ends).
 */
export function findNight(
  table: EpochTable,
  window: { endsFrom: number; endsBefore: number },
  model: SleepModel = SLEEP_MODEL,
): NightResult {
  const scores = scoreSleep(table, model);
  const { features } = scores;
  const sleepWake = scores.codes.slice();
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
  dropLeadingDoze(sleepWake, main);
  const [first, last] = persistent(sleepWake, main, candidates(features, main));
  for (let i = main[0]; i < first; i++) if (sleepWake[i] === SLEEP) sleepWake[i] = WAKE;
  for (let i = last + 1; i <= main[1]; i++) if (sleepWake[i] === SLEEP) sleepWake[i] = WAKE;
  // Up, not in bed: walking, a workout, heart rate of the day, or moving in at least 80 % of the epochs within
  // 2.5 min, each more than the night's mean: continuous movement, where restless wake in bed moves now and then.
  const quiet = (i: number): boolean => {
    if (sleepWake[i] !== WAKE || scores.up[i] === 1) return false;
    let moving = 0;
    let count = 0;
    for (let k = Math.max(0, i - 5); k <= Math.min(table.length - 1, i + 5); k++) {
      const m = features.motion[k] as number;
      if (!Number.isNaN(m)) {
        count++;
        if (m > 1) moving++;
      }
    }
    return count === 0 || moving < UP_SHARE * count;
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
      scores,
      inBedStart: epochStart(table, from),
      inBedEnd: epochStart(table, to),
      onset: epochStart(table, first),
      wake: epochStart(table, last + 1),
      stages: stageNight(table, scores, sleepWake, { from, to, onset: first, end: last + 1 }, model),
      coverage: withData / (to - from),
    },
  };
}

/**
 * Onset and wake of a period as persistent sleep: the first sleep epoch followed by at least 80 % sleep over the next
 * 10 min of data, and the last one preceded by as much (the latency to persistent sleep of actigraphy and PSG
 * practice). A period with no such stretch keeps its bounds.
 */
function persistent(
  codes: Uint8Array,
  [first, last]: [number, number],
  candidate: Uint8Array | null,
): [number, number] {
  const share = (from: number, step: 1 | -1): number => {
    let sleep = 0;
    let seen = 0;
    for (let k = from; k >= first && k <= last && seen < PERSISTENT_EPOCHS; k += step) {
      if (codes[k] === NO_DATA) continue;
      seen++;
      if (codes[k] === SLEEP) sleep++;
    }
    return seen > 0 ? sleep / seen : 0;
  };
  let onset = first;
  const can = (i: number) => codes[i] === SLEEP && (!candidate || candidate[i] === 1);
  while (onset < last && !(can(onset) && share(onset, 1) >= PERSISTENT_SHARE)) onset++;
  let end = last;
  while (end > onset && !(can(end) && share(end, -1) >= PERSISTENT_SHARE)) end--;
  return onset < end ? [onset, end] : [first, last];
}

/**
 * Dozing before bed is not the night: a first stretch of sleep under an hour that 20 min or more of wake follow is
 * left out of the period (sitting still in the evening, then lights-out), as PSG counts sleep from lights-out.
 */
function dropLeadingDoze(codes: Uint8Array, main: [number, number]): void {
  for (;;) {
    let wake = 0;
    let lastSleep = main[0];
    let i = main[0];
    for (; i <= main[1]; i++) {
      if (codes[i] === SLEEP) {
        if (wake >= DOZE_WAKE_EPOCHS) break;
        wake = 0;
        lastSleep = i;
        if (lastSleep - main[0] >= DOZE_EPOCHS) return;
      } else if (codes[i] === WAKE) wake++;
    }
    if (i > main[1]) return;
    for (let k = main[0]; k <= lastSleep; k++) if (codes[k] === SLEEP) codes[k] = WAKE;
    main[0] = i;
  }
}

/**
 * The epochs that may be onset or wake. When motion covers most of the period, it leads: they have motion, so heart
 * rate alone at the edges (a motion stream that starts late or stops early) does not stretch the night. Where they
 * have heart rate, it has settled (below).
 */
function candidates(features: EpochFeatures, [first, last]: [number, number]): Uint8Array {
  const settled = heartSettled(features);
  let m = 0;
  for (let i = first; i <= last; i++) m += features.hasMotion[i] as number;
  if (m < (last - first + 1) / 2) return settled;
  return features.hasMotion;
}

/**
 * Without motion to lead, onset and wake are epochs whose heart rate over 5 min has settled to the night's sleeping
 * range (at most its median): heart rate falls at sleep onset (Trinder et al. 2001), and quiet wake in bed keeps it up.
 */
function heartSettled(features: EpochFeatures): Uint8Array {
  const out = new Uint8Array(features.length);
  const column = FEATURES.indexOf("heartRate5m");
  const middle = features.heartRateMiddle;
  for (let i = 0; i < features.length; i++) {
    const rel = features.values[i * FEATURES.length + column] as number;
    if ((1 + rel) * features.heartRateBase <= middle) out[i] = 1;
  }
  return out;
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
  const { hasMotion: withMotion, hasHeart: withHeart } = night.scores.features;
  let motion = 0;
  let heart = 0;
  for (let i = from; i < to; i++) {
    motion += withMotion[i] as number;
    heart += withHeart[i] as number;
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
