/**
 * INTENSE_ACTIVITY: minutes of vigorous (and moderate) activity from heart-rate reserve while moving, and from
 * walking cadence. Pure. Zones and sources: docs/statistics.md.
 */
import type { EpochTable, StatisticResult } from "../epochs";
import { ACTIVE, EPOCHS_PER_HOUR, EPOCHS_PER_MINUTE, finite, hours, movementStates, round1 } from "./inactivity";
import { daytimeRestingHeartRate } from "./resting-heart-rate";

export const INTENSE_ACTIVITY_VERSION = "1.1.0";

export interface Person {
  age: number | null;
  restingHeartRate: number | null;
  maxHeartRate?: number | null;
}

/** ACSM (Garber et al. 2011): moderate 40-59 %, vigorous 60-89 % of heart-rate reserve (Karvonen et al. 1957). */
export const MODERATE_RESERVE = 0.4;
export const VIGOROUS_RESERVE = 0.6;
/** Tudor-Locke et al. 2018 and 2019 (CADENCE-Adults): about 100 steps/min is moderate, 130 vigorous. */
export const MODERATE_CADENCE = 100;
export const VIGOROUS_CADENCE = 130;
/** Used when the profile has no plausible age: HRmax 180 bpm by Tanaka et al. 2001. */
export const DEFAULT_AGE = 40;
/** Used when neither the profile nor the day gives a resting heart rate: a typical adult value (Ostchega 2011). */
export const DEFAULT_RESTING_HEART_RATE = 70;
/** Counted bouts last at least 1 min: single 30-s epochs are as likely a sensor spike as exercise. */
const MIN_BOUT = 1 * EPOCHS_PER_MINUTE;
/** 8 h of heart rate, so an unmeasured run is unlikely to be missing. */
const MIN_HEART_RATE_EPOCHS = 8 * EPOCHS_PER_HOUR;

const AGE = { min: 10, max: 100 } as const;
const RESTING = { min: 30, max: 120 } as const;
const MAX = { min: 100, max: 230 } as const;

const within = (v: unknown, range: { min: number; max: number }): v is number =>
  typeof v === "number" && Number.isFinite(v) && v >= range.min && v <= range.max;

/** Tanaka, Monahan & Seals 2001. */
export const tanakaMaxHeartRate = (age: number): number => 208 - 0.7 * age;

export interface IntensityThresholds {
  restingHeartRate: number;
  maxHeartRate: number;
  moderateHeartRate: number;
  vigorousHeartRate: number;
  ageSource: "profile" | "default";
  restingHeartRateSource: "profile" | "day" | "default";
  maxHeartRateSource: "profile" | "age";
}

/** The heart-rate zones of a person on a day (the day supplies the resting heart rate the profile lacks). */
export function intensityThresholds(day: EpochTable, person: Person): IntensityThresholds {
  const ageKnown = within(person.age, AGE);
  const age = ageKnown ? (person.age as number) : DEFAULT_AGE;
  let restingHeartRate = DEFAULT_RESTING_HEART_RATE;
  let restingHeartRateSource: IntensityThresholds["restingHeartRateSource"] = "default";
  if (within(person.restingHeartRate, RESTING)) {
    restingHeartRate = person.restingHeartRate;
    restingHeartRateSource = "profile";
  } else {
    const fromDay = daytimeRestingHeartRate(day).data.bpm;
    if (within(fromDay, RESTING)) {
      restingHeartRate = fromDay;
      restingHeartRateSource = "day";
    }
  }
  // A maximum must leave a reserve; otherwise the zones would sit at rest.
  const profileMax = within(person.maxHeartRate, MAX) && person.maxHeartRate > restingHeartRate + 20;
  const maxHeartRate = profileMax
    ? (person.maxHeartRate as number)
    : Math.max(tanakaMaxHeartRate(age), restingHeartRate + 20);
  const reserve = maxHeartRate - restingHeartRate;
  return {
    restingHeartRate,
    maxHeartRate: round1(maxHeartRate),
    moderateHeartRate: round1(restingHeartRate + MODERATE_RESERVE * reserve),
    vigorousHeartRate: round1(restingHeartRate + VIGOROUS_RESERVE * reserve),
    ageSource: ageKnown ? "profile" : "default",
    restingHeartRateSource,
    maxHeartRateSource: profileMax ? "profile" : "age",
  };
}

/**
 * Heart rate with single-epoch gaps filled from both neighbours: a dropout of 30-60 s does not split a bout. (Heart
 * rate sent once a minute already fills every epoch of the table.)
 */
function filledHeartRate(day: EpochTable): Float64Array {
  const out = Float64Array.from(day.heartRate);
  for (let i = 1; i + 1 < day.length; i++) {
    const before = day.heartRate[i - 1] as number;
    const after = day.heartRate[i + 1] as number;
    if (!finite(out[i] as number) && finite(before) && finite(after)) out[i] = (before + after) / 2;
  }
  return out;
}

/** Epochs flagged in runs of at least MIN_BOUT consecutive flagged epochs. */
function inBouts(flags: Uint8Array): number {
  let total = 0;
  let run = 0;
  for (let i = 0; i <= flags.length; i++) {
    if (i < flags.length && flags[i] === 1) run++;
    else {
      if (run >= MIN_BOUT) total += run;
      run = 0;
    }
  }
  return total;
}

const emptyData = () => ({
  minutes: null,
  moderateMinutes: null,
  vigorousHeartRate: null,
  moderateHeartRate: null,
  maxHeartRate: null,
  restingHeartRate: null,
  vigorousCadence: null,
  moderateCadence: null,
});

/**
 * Vigorous and moderate minutes of a day table. An epoch is vigorous at a cadence of 130 steps/min or more, or when
 * heart rate is at least 60 % of the reserve while moving (a workout, walking, or activity above the day's
 * inactivity threshold); moderate likewise at 100 steps/min or 40 %. Only bouts of at least 1 min count.
 */
export function intenseActivity(day: EpochTable, person: Person): StatisticResult {
  let heartRateEpochs = 0;
  for (let i = 0; i < day.length; i++) if (finite(day.heartRate[i] as number)) heartRateEpochs++;
  const t = intensityThresholds(day, person);
  const metadata: Record<string, unknown> = {
    version: INTENSE_ACTIVITY_VERSION,
    heartRateHours: hours(heartRateEpochs),
    ageSource: t.ageSource,
    restingHeartRateSource: t.restingHeartRateSource,
    maxHeartRateSource: t.maxHeartRateSource,
  };
  if (heartRateEpochs < MIN_HEART_RATE_EPOCHS) {
    const reason = `${hours(heartRateEpochs)} h of heart rate in the day (8 h needed)`;
    return { data: emptyData(), enoughData: false, metadata: { ...metadata, reason } };
  }

  const states = movementStates(day);
  const hr = filledHeartRate(day);
  const vigorous = new Uint8Array(day.length);
  const moderateOrMore = new Uint8Array(day.length);
  for (let i = 0; i < day.length; i++) {
    const cadence = day.cadence[i] as number;
    const moving = states[i] === ACTIVE;
    const h = hr[i] as number;
    if (cadence >= VIGOROUS_CADENCE || (moving && h >= t.vigorousHeartRate)) vigorous[i] = 1;
    if (vigorous[i] === 1 || cadence >= MODERATE_CADENCE || (moving && h >= t.moderateHeartRate)) moderateOrMore[i] = 1;
  }
  const vigorousEpochs = inBouts(vigorous);
  const moderateEpochs = inBouts(moderateOrMore) - vigorousEpochs;
  return {
    data: {
      minutes: vigorousEpochs / EPOCHS_PER_MINUTE,
      moderateMinutes: moderateEpochs / EPOCHS_PER_MINUTE,
      vigorousHeartRate: t.vigorousHeartRate,
      moderateHeartRate: t.moderateHeartRate,
      maxHeartRate: t.maxHeartRate,
      restingHeartRate: t.restingHeartRate,
      vigorousCadence: VIGOROUS_CADENCE,
      moderateCadence: MODERATE_CADENCE,
    },
    enoughData: true,
    metadata,
  };
}
