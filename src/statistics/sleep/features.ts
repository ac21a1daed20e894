/**
 * Per-epoch features for the sleep models (model.ts), on no device's scale: what a fitted coefficient multiplies
 * must mean the same for every watch, firmware and sampling rate.
 *
 * - Motion. Whatever arrives (counts per second, per 30 or 60 s, a smoothed count feature, a motion intensity) is
 *   measured above the stream's noise floor (its 5th percentile in the night) and in units of the night's own
 *   movement: its mean over the quietest 4 h of the window (inside the night, for anyone who sleeps). Multiplying
 *   a device's counts by any factor changes nothing. The features are log(1 + motion) and its means over 5 and 20 min around
 *   the epoch, over the 10 min before and after it, and over the 30 min before.
 * - Heart rate. Each epoch's heart rate against the sleeping level (the 10th percentile of the quietest 6 h),
 *   as a fraction; its local means, spread and successive differences; and its distance from its own 60-min moving
 *   median, the slow drift across the night taken out (REM raises heart rate above it; Trinder et al. 2001).
 *
 * NaN marks a feature that cannot be computed (no motion, no heart rate); the models pick their inputs by what is
 * there. Pure: reads the epoch table only.
 */
import { EPOCH_SECONDS, type EpochTable } from "../epochs";
import { movingMedian, quantile } from "./shared";

export const MOTION_FEATURES = [
  "motion",
  "motion5m",
  "motion20m",
  "motionPast10m",
  "motionNext10m",
  "motionPast30m",
] as const;

export const HEART_FEATURES = [
  "heartRate",
  "heartRate5m",
  "heartRate10m",
  "heartRateSpread5m",
  "heartRateSpread2m",
  "heartRateDrift",
  "heartRateSpread20m",
  "heartRatePast10m",
  "heartRateNext10m",
  "heartRateChange5m",
  "heartRateZ",
  "heartRateZ5m",
  "heartRateSpreadZ5m",
  "heartRateDriftZ",
  "heartRateMaxZ2m",
] as const;

export const FEATURES = [...MOTION_FEATURES, ...HEART_FEATURES] as const;
export type Feature = (typeof FEATURES)[number];
export const FEATURE_COUNT = FEATURES.length;

export interface EpochFeatures {
  length: number;
  /** Row-major: epoch i's feature f at [i * FEATURE_COUNT + f]; NaN where it cannot be computed. */
  values: Float64Array;
  /** 1 where the epoch has motion, heart rate. */
  hasMotion: Uint8Array;
  hasHeart: Uint8Array;
  /** Motion above the noise floor, in night units (NaN without motion). */
  motion: Float64Array;
  /** Heart rate over 1.5 min (median of 3 epochs); NaN without heart rate. */
  heartRate: Float64Array;
  /** The sleeping heart-rate level (bpm), NaN without heart rate. */
  heartRateBase: number;
  /**
   * 1 where the hour around the epoch averages at least 30 % above the night's median heart rate: awake (sitting,
   * walking), whatever else the epoch looks like. On the PSG nights, 0.15 % of sleep epochs (one night) reach it.
   */
  heartRateAwake: Uint8Array;
  /** The night's median heart rate (bpm; of the quiet block), NaN without heart rate. */
  heartRateMiddle: number;
}

const finite = (v: number): boolean => !Number.isNaN(v);
/** Heart rate this many times the night's median, averaged over an hour, is awake. */
const AWAKE_HEART_RATE = 1.3;
/** Motion whose 99th percentile over the window stays under this many units is noise, not movement. */
const NOISE_RATIO = 4;
/** The quiet block that sets the night's units: 6 h of epochs. */
const QUIET_BLOCK = (6 * 3600) / EPOCH_SECONDS;
/**
 * Motion's unit comes from the quietest 4 h: inside any night of 4 h or more, so a short night in a day of data does
 * not take the day's movement into its unit.
 */
const MOTION_BLOCK = (4 * 3600) / EPOCH_SECONDS;

/** Prefix sums of the finite values, their squares and count, for window means and spreads in O(1). */
export class Windows {
  readonly #sum: Float64Array;
  readonly #sq: Float64Array;
  readonly #count: Int32Array;
  readonly #n: number;
  constructor(values: ArrayLike<number>) {
    const n = values.length;
    this.#n = n;
    this.#sum = new Float64Array(n + 1);
    this.#sq = new Float64Array(n + 1);
    this.#count = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      const ok = finite(v);
      this.#sum[i + 1] = (this.#sum[i] as number) + (ok ? v : 0);
      this.#sq[i + 1] = (this.#sq[i] as number) + (ok ? v * v : 0);
      this.#count[i + 1] = (this.#count[i] as number) + (ok ? 1 : 0);
    }
  }
  /** Mean of the finite values in [a, b] (clipped); NaN when none. */
  mean(a: number, b: number): number {
    const lo = Math.max(0, a);
    const hi = Math.min(this.#n, b + 1);
    const c = (this.#count[hi] as number) - (this.#count[lo] as number);
    return c > 0 ? ((this.#sum[hi] as number) - (this.#sum[lo] as number)) / c : Number.NaN;
  }
  /** Standard deviation of the finite values in [a, b]; NaN with fewer than 3. */
  spread(a: number, b: number): number {
    const lo = Math.max(0, a);
    const hi = Math.min(this.#n, b + 1);
    const c = (this.#count[hi] as number) - (this.#count[lo] as number);
    if (c < 3) return Number.NaN;
    const m = ((this.#sum[hi] as number) - (this.#sum[lo] as number)) / c;
    return Math.sqrt(Math.max(0, ((this.#sq[hi] as number) - (this.#sq[lo] as number)) / c - m * m));
  }
  count(a: number, b: number): number {
    const lo = Math.max(0, a);
    const hi = Math.min(this.#n, b + 1);
    return (this.#count[hi] as number) - (this.#count[lo] as number);
  }
}

/** The start of the QUIET_BLOCK-long stretch with the least mean of `values` (needing data in half of it). */
function quietestBlock(values: ArrayLike<number>, length = QUIET_BLOCK): [number, number] {
  const n = values.length;
  const w = new Windows(values);
  const block = Math.min(length, Math.max(1, w.count(0, n - 1)));
  let best = -1;
  let bestMean = Number.POSITIVE_INFINITY;
  for (let i = 0; i + block <= n; i += 10) {
    if (w.count(i, i + block - 1) < block / 2) continue;
    const m = w.mean(i, i + block - 1);
    if (m < bestMean) {
      bestMean = m;
      best = i;
    }
  }
  if (best < 0) return [0, n];
  return [best, best + block];
}

/** Motion above its noise floor in units of the night's movement (see the module comment). */
function motionOf(table: EpochTable): Float64Array {
  const activity = Float64Array.from(table.activity);
  const n = activity.length;
  const [from, to] = quietestBlock(activity, MOTION_BLOCK);
  const block = activity.subarray(from, to);
  // The floor: what the still wrist reads (0 for counts; the sensor's noise for an intensity).
  const floor = quantile(block, 0.05);
  const above = Float64Array.from(activity, (v) => (finite(v) ? Math.max(0, v - floor) : Number.NaN));
  // The unit: the night's mean motion (never 0 while anything moves, however still or sparse the stream); with no
  // movement at all in the night, the 90th percentile of the window.
  let unit = new Windows(above).mean(from, to - 1);
  if (!(unit > 0)) unit = quantile(above, 0.9);
  if (!(unit > 0)) return above.fill(Number.NaN);
  // A channel whose largest values are no larger than the night's ordinary ones carries only sensor noise (a still
  // device): it tells nothing, and heart rate decides.
  if (quantile(above, 0.99) < NOISE_RATIO * unit) return above.fill(Number.NaN);
  for (let i = 0; i < n; i++) above[i] = (above[i] as number) / unit;
  return above;
}

/** The per-epoch features of a table (see the module comment). */
export function epochFeatures(table: EpochTable): EpochFeatures {
  const n = table.length;
  const F = FEATURE_COUNT;
  const values = new Float64Array(n * F).fill(Number.NaN);
  const motion = motionOf(table);
  const hasMotion = Uint8Array.from(motion, (v) => (finite(v) ? 1 : 0));
  const logMotion = Float64Array.from(motion, (v) => (finite(v) ? Math.log1p(v) : Number.NaN));
  const m = new Windows(logMotion);
  for (let i = 0; i < n; i++) {
    if (!hasMotion[i]) continue;
    const row = i * F;
    values[row] = logMotion[i] as number;
    values[row + 1] = m.mean(i - 5, i + 5);
    values[row + 2] = m.mean(i - 20, i + 20);
    values[row + 3] = m.mean(i - 20, i);
    values[row + 4] = m.mean(i, i + 20);
    values[row + 5] = m.mean(i - 60, i);
  }

  const raw = table.heartRate;
  const heartRate = movingMedian(raw, 1);
  for (let i = 0; i < n; i++) if (!finite(raw[i] as number)) heartRate[i] = Number.NaN;
  const hasHeart = Uint8Array.from(heartRate, (v) => (finite(v) ? 1 : 0));
  // The sleeping level: the 10th percentile of heart rate in the quiet block (of motion when there is motion, else of
  // heart rate itself).
  const [from, to] = hasMotion.includes(1) ? quietestBlock(motion) : quietestBlock(heartRate);
  const quiet = heartRate.subarray(from, to);
  const middle = quantile(quiet, 0.5);
  let base = quantile(quiet, 0.1);
  if (!finite(base)) base = quantile(heartRate, 0.1);
  if (finite(base)) {
    const rel = Float64Array.from(heartRate, (v) => v / base - 1);
    const h = new Windows(rel);
    const r = new Windows(Float64Array.from(raw, (v) => v / base));
    const drift = movingMedian(rel, 60);
    const steps = new Float64Array(n).fill(Number.NaN);
    for (let i = 1; i < n; i++) steps[i] = Math.abs((raw[i] as number) - (raw[i - 1] as number)) / base;
    const s = new Windows(steps);
    const H = MOTION_FEATURES.length;
    // The night's own spread of heart rate (half the 10-90 % range of the quiet block), with its median: a rise is
    // counted in this person's own units, so a night of wide swings does not read as wake.
    const spread = Math.max(1, (quantile(quiet, 0.9) - quantile(quiet, 0.1)) / 2);
    for (let i = 0; i < n; i++) {
      if (!hasHeart[i]) continue;
      const row = i * F + H;
      values[row] = rel[i] as number;
      values[row + 1] = h.mean(i - 5, i + 5);
      values[row + 2] = h.mean(i - 10, i + 10);
      values[row + 3] = r.spread(i - 5, i + 5);
      values[row + 4] = r.spread(i - 2, i + 2);
      values[row + 5] = (rel[i] as number) - (drift[i] as number);
      values[row + 6] = r.spread(i - 20, i + 20);
      values[row + 7] = h.mean(i - 20, i);
      values[row + 8] = h.mean(i, i + 20);
      values[row + 9] = s.mean(i - 5, i + 5);
      // The same level, 5-min mean, spread and drift in the night's own units.
      values[row + 10] = ((heartRate[i] as number) - middle) / spread;
      values[row + 11] = (((values[row + 1] as number) + 1) * base - middle) / spread;
      values[row + 12] = ((values[row + 3] as number) * base) / spread;
      values[row + 13] = ((values[row + 5] as number) * base) / spread;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = Math.max(0, i - 4); k <= Math.min(n - 1, i + 4); k++) {
        const v = raw[k] as number;
        if (v > max) max = v;
      }
      values[row + 14] = (max - middle) / spread;
    }
  }
  const heartRateAwake = new Uint8Array(n);
  if (finite(middle)) {
    const hour = new Windows(heartRate);
    for (let i = 0; i < n; i++) if (hour.mean(i - 60, i + 60) >= AWAKE_HEART_RATE * middle) heartRateAwake[i] = 1;
  }
  return {
    length: n,
    values,
    hasMotion,
    hasHeart,
    motion,
    heartRate,
    heartRateBase: base,
    heartRateAwake,
    heartRateMiddle: middle,
  };
}
