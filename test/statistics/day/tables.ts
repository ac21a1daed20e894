import { EPOCH_SECONDS, type EpochTable } from "../../../src/statistics/epochs";

/** Hand-built day tables: every epoch set explicitly, so each test knows exactly what the statistics see. */

/** 2026-03-02T00:00 in Europe/Paris (UTC+1): any local midnight works, the tables carry no zone. */
export const MIDNIGHT = 1_772_406_000;
export const EPOCHS_PER_DAY = 2880;

/** Epoch index of local time h:m (elapsed from midnight). */
export const at = (h: number, m = 0, s = 0): number => (h * 3600 + m * 60 + s) / EPOCH_SECONDS;
/** Unix seconds of local time h:m in the table's day. */
export const time = (h: number, m = 0): number => MIDNIGHT + h * 3600 + m * 60;

type Field = "heartRate" | "activity" | "cadence" | "restingHeartRate" | "workout";

/** A day with no data at all. */
export function emptyDay(length = EPOCHS_PER_DAY, start = MIDNIGHT): EpochTable {
  const nan = () => new Float32Array(length).fill(Number.NaN);
  return {
    start,
    length,
    heartRate: nan(),
    activity: nan(),
    activitySource: null,
    cadence: nan(),
    restingHeartRate: nan(),
    rrSquaredDiffSum: new Float64Array(length),
    rrDiffCount: new Uint16Array(length),
    rrMean: nan(),
    workout: new Uint8Array(length),
  };
}

/** Sets `field` to `value` over the epochs [from, to). */
export function set(day: EpochTable, field: Field, from: number, to: number, value: number): EpochTable {
  day[field].fill(value, from, to);
  if (field === "activity" && day.activitySource === null) day.activitySource = "ACTIVITY_COUNT";
  return day;
}

/** Sets heart rate and activity together: a stretch of rest (activity at `rest`) or movement. */
export function segment(day: EpochTable, from: number, to: number, heartRate: number, activity: number): EpochTable {
  set(day, "heartRate", from, to, heartRate);
  return set(day, "activity", from, to, activity);
}

export interface TypicalDay {
  /** Awake heart rate at rest, 07:00-23:00 (bpm). */
  awake?: number;
  /** Heart rate asleep, before 07:00 and from 23:00 (bpm). */
  asleep?: number;
  /** Multiplies every activity value: the device's scale. */
  scale?: number;
  activitySource?: EpochTable["activitySource"];
  /** A 30-min walk at 12:00 (cadence 110, activity 300, heart rate 95). */
  walk?: boolean;
  length?: number;
}

/**
 * A full day: asleep at `asleep` bpm with activity 0, awake at rest at `awake` bpm with activity 2, and a walk at
 * noon. The walk makes the day's movement level 300, so the inactivity threshold is 45 (all times `scale`).
 */
export function typicalDay(options: TypicalDay = {}): EpochTable {
  const { awake = 70, asleep = 55, scale = 1, walk = true, length = EPOCHS_PER_DAY } = options;
  const day = emptyDay(length);
  const shift = (length - EPOCHS_PER_DAY) / 120;
  const wake = at(7 + shift);
  const bed = at(23 + shift);
  segment(day, 0, wake, asleep, 0);
  segment(day, wake, bed, awake, 2 * scale);
  segment(day, bed, length, asleep, 0);
  if (walk) {
    segment(day, at(12), at(12, 30), 95, 300 * scale);
    set(day, "cadence", at(12), at(12, 30), 110);
  }
  day.activitySource = options.activitySource === undefined ? "ACTIVITY_COUNT" : options.activitySource;
  return day;
}

/** Keeps only the epochs [from, to) of every series (the rest becomes NaN): a day the watch was worn part of. */
export function keepOnly(day: EpochTable, from: number, to: number): EpochTable {
  for (const field of ["heartRate", "activity", "cadence", "restingHeartRate"] as const) {
    day[field].fill(Number.NaN, 0, from);
    day[field].fill(Number.NaN, to, day.length);
  }
  return day;
}

/** Sorted keys, to compare the shape of `data` between results. */
export const keys = (data: Record<string, unknown>): string[] => Object.keys(data).sort();
