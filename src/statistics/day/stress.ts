/**
 * STRESS_DURATION, STRESS_FREQUENCY, STRESS_RECOVERY: heart rate above the user's homeostasis upper limit while
 * awake and physically inactive, away from exercise (non-metabolic heart rate, Myrtek 2004; Verkuil et al. 2016).
 * The limit is the app's reactivity calibration when plausible, else a personal baseline from 14 days. Pure.
 * Rules and sources: docs/statistics.md.
 */
import { type EpochTable, epochStart, type StatisticResult } from "../epochs";
import {
  ACTIVE,
  EPOCHS_PER_HOUR,
  EPOCHS_PER_MINUTE,
  finite,
  hours,
  INACTIVE,
  isRest,
  median,
  type Period,
  quantile,
  restContext,
  restHeartRates,
  round1,
  sortedFinite,
} from "./inactivity";

export const STRESS_VERSION = "1.1.0";

export interface HomeostasisLimit {
  /** bpm; heart rate above it at rest is stress. */
  upperLimit: number;
  source: "reactivity_calibration" | "personal_baseline";
  /** Days of the history that gave enough rest heart rate (see MIN_DAY_REST). */
  baselineDays: number;
  /** The median rest heart rate of those days (bpm), null when fewer than MIN_BASELINE_DAYS. */
  baseline: number | null;
  /** Why the calibration was not used, when there was one and the personal baseline was. */
  calibrationIgnored?: string;
}
export type HomeostasisResult = { limit: HomeostasisLimit } | { limit: null; reason: string };

/** A calibrated upper limit outside this range (bpm) is not a heart rate above rest. */
const PLAUSIBLE_LIMIT = { min: 40, max: 180 } as const;
/** The app calibrates over 3 days (settings.reactivity_calibration.dates); the baseline needs as many. */
const MIN_BASELINE_DAYS = 3;
/** A day adds to the baseline with at least 2 h of rest heart rate. */
const MIN_DAY_REST = 2 * EPOCHS_PER_HOUR;
/** Upper limit = median + K robust SDs (1.4826 MAD, Leys et al. 2013), and at least MIN_MARGIN bpm above it. */
const K = 2;
const MAD_TO_SD = 1.4826;
const MIN_MARGIN = 5;

/**
 * Where recovery starts: after the last epoch still at the peak's level, that is within 5 bpm of the peak or in the
 * upper half of the rise above the limit, whichever reaches lower. Heart rate at one level varies from reading to
 * reading by a few bpm (sensor noise, breathing), and one reading can stand well above the rest of a tall episode;
 * without this, the highest single reading on a plateau (anywhere on it, with heart rate once a minute) would decide
 * when recovery starts. The 5 bpm are the limit's least margin above the baseline (MIN_MARGIN).
 */
const PLATEAU = 5;
const PLATEAU_SHARE = 0.5;
/** An episode spans at least 2 min; above-limit runs closer than 1 min (one epoch between) are one episode. */
const MIN_EPISODE = 2 * EPOCHS_PER_MINUTE;
const MAX_GAP = 1 * EPOCHS_PER_MINUTE - 1;
/** Below 8 h of awake heart rate with measured activity, a day's stress is not known. */
const MIN_COVERAGE = 8 * EPOCHS_PER_HOUR;

type Baseline = { baseline: number; upperLimit: number; days: number } | { reason: string; days: number };

function personalBaseline(history: EpochTable[]): Baseline {
  const pooled: number[] = [];
  let days = 0;
  for (const day of history) {
    if (!day || day.length === 0) continue;
    const values = restHeartRates(day);
    if (values.length < MIN_DAY_REST) continue;
    days++;
    for (const v of values) pooled.push(v);
  }
  if (days < MIN_BASELINE_DAYS) {
    return { days, reason: `personal baseline needs 3 days with 2 h of awake rest heart rate; ${days} found` };
  }
  const { mid, mad } = medianAndMad(pooled);
  return { baseline: round1(mid), upperLimit: round1(mid + Math.max(K * MAD_TO_SD * mad, MIN_MARGIN)), days };
}

/**
 * Median and MAD of the pooled heart rates. When every value is a whole number (heart rate sent once a minute or
 * less often: each epoch holds one reading in whole bpm), each value stands for the interval [v - 0.5, v + 0.5) it
 * was rounded from. Otherwise the median would move in whole bpm and the MAD in half bpm, the limit in steps of
 * 1.5 bpm; means of several readings (heart rate every few seconds) need no such care.
 */
function medianAndMad(values: number[]): { mid: number; mad: number } {
  if (!values.every((v) => Number.isInteger(v))) {
    const mid = quantile(sortedFinite(values), 0.5);
    return { mid, mad: median(values.map((v) => Math.abs(v - mid))) };
  }
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const levels = [...counts.keys()].sort((a, b) => a - b);
  const half = values.length / 2;
  let below = 0;
  let mid = levels[levels.length - 1] as number;
  for (const v of levels) {
    const c = counts.get(v) as number;
    if (below + c >= half) {
      mid = v - 0.5 + (half - below) / c;
      break;
    }
    below += c;
  }
  // The share of the spread-out values within d of the median grows with d: bisect for one half.
  const within = (d: number): number => {
    let sum = 0;
    for (const v of levels) {
      const overlap = Math.min(v + 0.5, mid + d) - Math.max(v - 0.5, mid - d);
      if (overlap > 0) sum += overlap * (counts.get(v) as number);
    }
    return sum;
  };
  let lo = 0;
  let hi = Math.max(Math.abs((levels[0] as number) - mid), Math.abs((levels[levels.length - 1] as number) - mid)) + 1;
  for (let k = 0; k < 40; k++) {
    const d = (lo + hi) / 2;
    if (within(d) < half) lo = d;
    else hi = d;
  }
  return { mid, mad: (lo + hi) / 2 };
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The calibrated upper limit, or why it cannot be used. */
function calibratedLimit(calibration: unknown, baseline: number | null): number | string {
  if (typeof calibration !== "object" || calibration === null || Array.isArray(calibration)) {
    return "no reactivity_calibration";
  }
  const c = calibration as Record<string, unknown>;
  if (c.is_calibrated !== true) return "reactivity_calibration.is_calibrated is not true";
  const upper = num(c.homeostasis_upper_limit);
  if (upper === null) return "homeostasis_upper_limit is not a number";
  if (upper < PLAUSIBLE_LIMIT.min || upper > PLAUSIBLE_LIMIT.max) {
    return `homeostasis_upper_limit ${upper} is outside ${PLAUSIBLE_LIMIT.min}-${PLAUSIBLE_LIMIT.max} bpm`;
  }
  const lower = num(c.homeostasis_lower_limit);
  if (lower !== null && lower >= upper) return "homeostasis_lower_limit is not below the upper limit";
  const min = num(c.heart_rate_min);
  const max = num(c.heart_rate_max);
  if (min !== null && max !== null && min < max && (upper < min || upper > max)) {
    return "homeostasis_upper_limit is outside the calibration's heart_rate_min-heart_rate_max";
  }
  if (baseline !== null && upper <= baseline) {
    return `homeostasis_upper_limit ${upper} is not above the personal rest median ${baseline} bpm`;
  }
  return round1(upper);
}

/**
 * The homeostasis upper limit. `calibration` is the raw settings.reactivity_calibration (any shape); `history` the
 * day tables of the 14 local days ending with the reported day, oldest first (missing or empty days are skipped).
 */
export function homeostasisLimit(calibration: unknown, history: EpochTable[]): HomeostasisResult {
  const personal = personalBaseline(history);
  const baseline = "baseline" in personal ? personal.baseline : null;
  const calibrated = calibratedLimit(calibration, baseline);
  if (typeof calibrated === "number") {
    return {
      limit: { upperLimit: calibrated, source: "reactivity_calibration", baselineDays: personal.days, baseline },
    };
  }
  if ("baseline" in personal) {
    const limit: HomeostasisLimit = {
      upperLimit: personal.upperLimit,
      source: "personal_baseline",
      baselineDays: personal.days,
      baseline,
    };
    if (calibrated !== "no reactivity_calibration") limit.calibrationIgnored = calibrated;
    return { limit };
  }
  return { limit: null, reason: `${calibrated}; ${personal.reason}` };
}

const isoAt = (t: number): string => new Date(t * 1000).toISOString();

/** An episode as `data` carries it: instants as ISO date-times, as every other date-time of the API. */
const episodeData = (e: StressEpisode) => ({ ...e, start: isoAt(e.start), end: isoAt(e.end), peakAt: isoAt(e.peakAt) });

export interface StressEpisode {
  /** Unix seconds: the first epoch above the limit, and the end of the last one. */
  start: number;
  end: number;
  minutes: number;
  peakAt: number;
  peakBpm: number;
  /** Minutes from the peak back below the limit; null when the return was not seen (movement, sleep, no data). */
  recoveryMinutes: number | null;
}

/** The awake epochs that neither move nor recover from moving; where a gap may sit inside an episode. */
const canBridge = (ctx: ReturnType<typeof restContext>, i: number): boolean =>
  ctx.awake[i] === 1 && ctx.states[i] !== ACTIVE && ctx.recovery[i] === 0;

function findEpisodes(day: EpochTable, ctx: ReturnType<typeof restContext>, upper: number): StressEpisode[] {
  const hr = day.heartRate;
  const above = (i: number) => isRest(ctx, i) && (hr[i] as number) > upper;
  const episodes: StressEpisode[] = [];
  let i = 0;
  while (i < day.length) {
    if (!above(i)) {
      i++;
      continue;
    }
    const first = i;
    let last = i;
    let j = i + 1;
    while (j < day.length && j - last - 1 <= MAX_GAP) {
      if (above(j)) last = j;
      else if (!canBridge(ctx, j)) break;
      j++;
    }
    i = last + 1;
    if (last - first + 1 < MIN_EPISODE) continue;
    let peak = first;
    for (let k = first; k <= last; k++) if (above(k) && (hr[k] as number) >= (hr[peak] as number)) peak = k;
    // The decline starts after the last epoch still at the peak's level.
    const level = (hr[peak] as number) - Math.max(PLATEAU, PLATEAU_SHARE * ((hr[peak] as number) - upper));
    let declineFrom = peak;
    for (let k = peak + 1; k <= last; k++) if (above(k) && (hr[k] as number) >= level) declineFrom = k;
    // Back below the limit: a rest epoch at or under it within a minute of the last epoch above.
    let recovered = false;
    for (let k = last + 1; k <= Math.min(day.length - 1, last + 1 + MAX_GAP); k++) {
      const v = hr[k] as number;
      if (isRest(ctx, k) && finite(v) && v <= upper) {
        recovered = true;
        break;
      }
      if (!canBridge(ctx, k) || finite(v)) break;
    }
    episodes.push({
      start: epochStart(day, first),
      end: epochStart(day, last + 1),
      minutes: (last - first + 1) / EPOCHS_PER_MINUTE,
      peakAt: epochStart(day, peak),
      peakBpm: round1(hr[peak] as number),
      recoveryMinutes: recovered ? (last + 1 - declineFrom) / EPOCHS_PER_MINUTE : null,
    });
  }
  return episodes;
}

type StressResults = {
  STRESS_DURATION: StatisticResult;
  STRESS_FREQUENCY: StatisticResult;
  STRESS_RECOVERY: StatisticResult;
};

const EMPTY = {
  STRESS_DURATION: { minutes: null, upperLimit: null, restMinutes: null },
  STRESS_FREQUENCY: { count: null, episodes: null },
  STRESS_RECOVERY: { medianMinutes: null, recoveredEpisodes: null, unrecoveredEpisodes: null },
} as const;

function notEnough(metadata: Record<string, unknown>, reason: string): StressResults {
  const meta = { ...metadata, reason };
  return {
    STRESS_DURATION: { data: { ...EMPTY.STRESS_DURATION }, enoughData: false, metadata: meta },
    STRESS_FREQUENCY: { data: { ...EMPTY.STRESS_FREQUENCY }, enoughData: false, metadata: { ...meta } },
    STRESS_RECOVERY: { data: { ...EMPTY.STRESS_RECOVERY }, enoughData: false, metadata: { ...meta } },
  };
}

/**
 * The three stress statistics of a day table. `limit` comes from homeostasisLimit; `sleep` is the night's sleep
 * period (Unix seconds), null or absent for the default night 23:00-07:00 local time.
 */
export function stress(day: EpochTable, limit: HomeostasisResult, sleep?: Period | null): StressResults {
  const ctx = restContext(day, sleep);
  let coverage = 0;
  let restEpochs = 0;
  for (let i = 0; i < day.length; i++) {
    if (!finite(day.heartRate[i] as number) || ctx.awake[i] === 0) continue;
    if (ctx.states[i] === INACTIVE || ctx.states[i] === ACTIVE) coverage++;
    if (isRest(ctx, i)) restEpochs++;
  }
  const metadata: Record<string, unknown> = {
    version: STRESS_VERSION,
    baselineSource: limit.limit?.source ?? null,
    baselineDays: limit.limit?.baselineDays ?? null,
    baseline: limit.limit?.baseline ?? null,
    coverageHours: hours(coverage),
  };
  if (limit.limit?.calibrationIgnored) metadata.calibrationIgnored = limit.limit.calibrationIgnored;
  if (limit.limit === null) return notEnough(metadata, limit.reason);
  if (coverage < MIN_COVERAGE) {
    return notEnough(metadata, `${hours(coverage)} h of awake heart rate with activity (8 h needed)`);
  }

  const upperLimit = limit.limit.upperLimit;
  const episodes = findEpisodes(day, ctx, upperLimit);
  const recoveries = episodes.map((e) => e.recoveryMinutes).filter((m): m is number => m !== null);
  const minutes = episodes.reduce((sum, e) => sum + e.minutes, 0);
  const shared = { ...metadata, upperLimit };
  return {
    STRESS_DURATION: {
      data: { minutes, upperLimit, restMinutes: restEpochs / EPOCHS_PER_MINUTE },
      enoughData: true,
      metadata: shared,
    },
    STRESS_FREQUENCY: {
      data: { count: episodes.length, episodes: episodes.map(episodeData) },
      enoughData: true,
      metadata: { ...shared },
    },
    STRESS_RECOVERY: {
      data: {
        medianMinutes: recoveries.length > 0 ? median(recoveries) : null,
        recoveredEpisodes: recoveries.length,
        unrecoveredEpisodes: episodes.length - recoveries.length,
      },
      enoughData: true,
      metadata: { ...shared },
    },
  };
}
