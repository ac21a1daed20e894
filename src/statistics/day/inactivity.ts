/**
 * Which epochs of a day table are physically inactive, awake and clear of recent exercise: the shared ground of the
 * daytime statistics (resting heart rate, intense activity, stress). Activity comes on the device's own scale, so
 * every threshold on it is relative to the same day's distribution. Pure: no I/O, imports only the epoch table.
 * The thresholds and their sources are in docs/statistics.md.
 */
import { EPOCH_SECONDS, type EpochTable } from "../epochs";

export const EPOCHS_PER_MINUTE = 60 / EPOCH_SECONDS;
export const EPOCHS_PER_HOUR = 60 * EPOCHS_PER_MINUTE;
export const EPOCHS_PER_DAY = 24 * EPOCHS_PER_HOUR;

/**
 * Steps/min from which an epoch counts as walking. Tudor-Locke & Rowe 2012 call 40-59 steps/min purposeful steps and
 * 60-79 slow walking; below 60 the steps are incidental and leave heart rate near its resting level.
 */
export const WALKING_CADENCE = 60;

/** The day's resting floor and movement level of activity: the 10th and 99th percentiles of its measured epochs. */
const FLOOR_PERCENTILE = 0.1;
const MOVEMENT_PERCENTILE = 0.99;
/**
 * An epoch is inactive when its activity is within this fraction of the way from the floor to the movement level.
 * The 99th percentile of a day is usually brisk walking or faster; on wrist accelerometers moderate intensity starts
 * near a quarter of the vigorous level (100.6 vs 428.8 mg, Hildebrand et al. 2014), so 0.15 stays below moderate.
 */
export const INACTIVE_FRACTION = 0.15;
/** Fewer measured epochs (10 min) than this and the day's scale is not trusted. */
const MIN_SCALE_EPOCHS = 20;

/** Movement state of an epoch. */
export const UNKNOWN = 0;
export const INACTIVE = 1;
export const ACTIVE = 2;

/**
 * After movement, heart rate takes time to come down: about a minute for the fast phase (Cole et al. 1999), longer
 * after longer exercise (Børsheim & Bahr 2003). Epochs in these windows are neither rest nor stress.
 */
export const RECOVERY_AFTER_BLIP = 1 * EPOCHS_PER_MINUTE; // movement shorter than 1 min
export const RECOVERY_AFTER_BOUT = 5 * EPOCHS_PER_MINUTE; // a bout of 1 to 10 min
export const RECOVERY_AFTER_EXERCISE = 15 * EPOCHS_PER_MINUTE; // a bout of 10 min or more
const LONG_BOUT = 10 * EPOCHS_PER_MINUTE;
/** Active stretches separated by at most this many epochs (1 min) form one bout. */
const BOUT_GAP = 1 * EPOCHS_PER_MINUTE;

/** The default night when no sleep period is known: 23:00 to 07:00 local time. */
export const NIGHT_START_HOUR = 23;
export const NIGHT_END_HOUR = 7;

export interface ActivityScale {
  /** The day's resting floor and movement level, on the device's scale. */
  floor: number;
  movement: number;
  /** Activity at or below this is inactive. */
  threshold: number;
  /** Epochs with activity the scale was built from. */
  epochs: number;
}

/** A period in Unix seconds, `to` exclusive. */
export interface Period {
  from: number;
  to: number;
}

export const finite = (v: number): boolean => Number.isFinite(v);

/** The p-quantile (0..1) of ascending values, linear between ranks; NaN when empty. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n - 1, Math.max(0, p * (n - 1)));
  const lo = Math.floor(rank);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (rank - lo);
}

/** Ascending copy of the finite values. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (finite(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

export const median = (values: ArrayLike<number>): number => quantile(sortedFinite(values), 0.5);

/** One decimal, the precision the statistics report heart rates in. */
export const round1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * Epoch tables are never changed once built, and one request reads the same day table for several statistics and
 * as history of the next 14 days: what is derived from a table alone is kept with it (garbage-collected with it).
 */
const scales = new WeakMap<EpochTable, ActivityScale | null>();
const contexts = new WeakMap<EpochTable, Map<string, RestContext>>();

/** The day's activity scale, or null when the day has too little activity data to build one. */
export function activityScale(day: EpochTable): ActivityScale | null {
  if (scales.has(day)) return scales.get(day) as ActivityScale | null;
  const scale = computeActivityScale(day);
  scales.set(day, scale);
  return scale;
}

function computeActivityScale(day: EpochTable): ActivityScale | null {
  const sorted = sortedFinite(day.activity);
  if (sorted.length < MIN_SCALE_EPOCHS) return null;
  const floor = quantile(sorted, FLOOR_PERCENTILE);
  const movement = quantile(sorted, MOVEMENT_PERCENTILE);
  return { floor, movement, threshold: floor + INACTIVE_FRACTION * (movement - floor), epochs: sorted.length };
}

/**
 * The movement state of every epoch: ACTIVE in a workout, at a walking cadence, or above the day's inactivity
 * threshold; INACTIVE when activity was measured and is at or below it; UNKNOWN when nothing says either. A missing
 * cadence counts as no steps (devices send cadence while walking).
 */
export function movementStates(day: EpochTable, scale: ActivityScale | null = activityScale(day)): Uint8Array {
  const states = new Uint8Array(day.length);
  for (let i = 0; i < day.length; i++) {
    const cadence = day.cadence[i] as number;
    const activity = day.activity[i] as number;
    if (day.workout[i] === 1 || cadence >= WALKING_CADENCE) states[i] = ACTIVE;
    else if (scale && finite(activity)) states[i] = activity > scale.threshold ? ACTIVE : INACTIVE;
  }
  return states;
}

/** 1 for the epochs in the recovery window after a bout of movement (the bout itself is ACTIVE, not marked). */
export function recoveryMask(states: Uint8Array): Uint8Array {
  const n = states.length;
  const mask = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    if (states[i] !== ACTIVE) {
      i++;
      continue;
    }
    const first = i;
    let last = i;
    // Extend the bout across pauses of up to a minute.
    for (let j = i + 1; j < n && j - last <= BOUT_GAP + 1; j++) if (states[j] === ACTIVE) last = j;
    const length = last - first + 1;
    const window =
      length < EPOCHS_PER_MINUTE
        ? RECOVERY_AFTER_BLIP
        : length < LONG_BOUT
          ? RECOVERY_AFTER_BOUT
          : RECOVERY_AFTER_EXERCISE;
    for (let k = first; k < Math.min(n, last + 1 + window); k++) if (states[k] !== ACTIVE) mask[k] = 1;
    i = last + 1;
  }
  return mask;
}

/**
 * Hours the table's local clock is ahead of the time elapsed since its start: -1 on a 23-h day, +1 on a 25-h day.
 * Clock changes happen at night (01:00-03:00), before the 07:00 and 23:00 boundaries.
 */
function clockShiftHours(day: EpochTable): number {
  const hours = day.length / EPOCHS_PER_HOUR;
  return Math.abs(hours - 24) <= 1 ? Math.round(hours - 24) : 0;
}

/** Epoch index of local hour `hour` in a day table (DST aware, clamped to the table). */
export function localHourIndex(day: EpochTable, hour: number): number {
  return Math.max(0, Math.min(day.length, (hour + clockShiftHours(day)) * EPOCHS_PER_HOUR));
}

const validPeriod = (p: Period | null | undefined): p is Period =>
  !!p && typeof p === "object" && Number.isFinite(p.from) && Number.isFinite(p.to) && p.to > p.from;

/**
 * 1 for awake daytime epochs. Without a sleep period the default night (before 07:00 and from 23:00) is asleep.
 * A given sleep period is asleep; it replaces the default morning when it starts before 07:00 (the night that ends
 * this day) and the default evening when it ends after 23:00 (the night that starts this day). A period outside
 * the day changes nothing.
 */
export function awakeMask(day: EpochTable, sleep?: Period | null): Uint8Array {
  const mask = new Uint8Array(day.length).fill(1);
  const morningEnd = localHourIndex(day, NIGHT_END_HOUR);
  const eveningStart = localHourIndex(day, NIGHT_START_HOUR);
  const end = day.start + day.length * EPOCH_SECONDS;
  let keepMorning = true;
  let keepEvening = true;
  if (validPeriod(sleep) && sleep.to > day.start && sleep.from < end) {
    const first = Math.max(0, Math.floor((sleep.from - day.start) / EPOCH_SECONDS));
    const last = Math.min(day.length, Math.ceil((sleep.to - day.start) / EPOCH_SECONDS));
    mask.fill(0, first, last);
    if (sleep.from < day.start + morningEnd * EPOCH_SECONDS) keepMorning = false;
    if (sleep.to > day.start + eveningStart * EPOCH_SECONDS) keepEvening = false;
  }
  if (keepMorning) mask.fill(0, 0, morningEnd);
  if (keepEvening) mask.fill(0, eveningStart, day.length);
  return mask;
}

/** Everything the daytime statistics need to know about rest in one day. */
export interface RestContext {
  scale: ActivityScale | null;
  states: Uint8Array;
  recovery: Uint8Array;
  awake: Uint8Array;
}

export function restContext(day: EpochTable, sleep?: Period | null): RestContext {
  const key = sleep ? `${sleep.from}-${sleep.to}` : "";
  let byPeriod = contexts.get(day);
  const known = byPeriod?.get(key);
  if (known) return known;
  const scale = activityScale(day);
  const states = movementStates(day, scale);
  const ctx = { scale, states, recovery: recoveryMask(states), awake: awakeMask(day, sleep) };
  if (!byPeriod) {
    byPeriod = new Map();
    contexts.set(day, byPeriod);
  }
  byPeriod.set(key, ctx);
  return ctx;
}

/** Awake, measured inactive and out of any recovery window: the epochs where heart rate reflects no movement. */
export const isRest = (ctx: RestContext, i: number): boolean =>
  ctx.awake[i] === 1 && ctx.states[i] === INACTIVE && ctx.recovery[i] === 0;

/** Heart rates of the rest epochs of a day. */
export function restHeartRates(day: EpochTable, ctx: RestContext = restContext(day)): number[] {
  const out: number[] = [];
  for (let i = 0; i < day.length; i++) {
    const hr = day.heartRate[i] as number;
    if (isRest(ctx, i) && finite(hr)) out.push(hr);
  }
  return out;
}

/** Hours, with one decimal, of a count of epochs. */
export const hours = (epochs: number): number => round1(epochs / EPOCHS_PER_HOUR);
