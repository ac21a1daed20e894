/**
 * Sleep/wake per 30-s epoch from wrist motion and heart rate.
 *
 * Motion follows the Actiwatch scoring of Oakley (1997; the weights as documented in the Actiware manual and used by
 * te Lindert & Van Someren 2013, whose Actiwatch-like counts Walch et al. 2019 computed for the Apple Watch), with
 * the rescoring rules of Webster et al. (1982) as Cole et al. (1992) applied them. Heart rate is added as Walch et al.
 * (2019) showed it helps (epoch accuracy 0.90 with motion + heart rate against 0.81-0.86 for actigraphy): wake raises
 * heart rate above the sleeping level, and heart rate falls to that level at sleep onset (Trinder et al. 2001).
 *
 * - Cole RJ, Kripke DF, Gruen W, Mullaney DJ, Gillin JC. Automatic sleep/wake identification from wrist activity.
 *   Sleep 1992;15(5):461-469.
 * - Webster JB, Kripke DF, Messin S, Mullaney DJ, Wyborney G. An activity-based sleep monitor system for ambulatory
 *   use. Sleep 1982;5(4):389-399.
 * - Oakley NR. Validation with polysomnography of the Sleepwatch sleep/wake scoring algorithm used by the Actiwatch
 *   activity monitor system. Technical report to Mini-Mitter Co., 1997.
 * - te Lindert BHW, Van Someren EJW. Sleep estimates using microelectromechanical systems (MEMS). Sleep
 *   2013;36(5):781-789.
 * - Walch O, Huang Y, Forger D, Goldstein C. Sleep stage prediction with raw acceleration and photoplethysmography
 *   heart rate data derived from a consumer wearable device. Sleep 2019;42(12):zsz180.
 * - Trinder J, Kleiman J, Carrington M, et al. Autonomic activity during human sleep as a function of time and sleep
 *   stage. J Sleep Res 2001;10(4):253-264.
 *
 * Adaptations, because activity comes on each device's own scale: activity is measured above the window's own noise
 * floor and divided by the size of a typical movement while at rest in the same window, so multiplying a device's
 * counts by any factor changes nothing. Heart rate is measured against the window's own sleeping level, in units of
 * 4 % of that level (about the drop from quiet wake to NREM sleep).
 */
import type { EpochTable } from "../epochs";
import { movingMedian, NO_DATA, quantile, SLEEP, WAKE } from "./shared";

/** Oakley's weights for 30-s epochs: 1/25 within 2 min, 1/5 within 1 min, 2 for the epoch itself. */
const OAKLEY_WEIGHTS = [1 / 25, 1 / 25, 1 / 5, 1 / 5, 2, 1 / 5, 1 / 5, 1 / 25, 1 / 25] as const;
/**
 * The movement score above which an epoch is wake by motion: a lone epoch moving as much as a typical movement at
 * rest (2 × 1), or a minute of smaller movements around it. Oakley's medium threshold is 40 Actiwatch counts, twice a
 * lone 20-count epoch; we take a typical movement at rest to be of that order on that scale (an assumption, not a
 * fit: no Actiwatch recordings were at hand).
 */
export const MOVEMENT_THRESHOLD = 2;
/** Movement is capped at 4 typical movements, as Cole-Kripke cap counts, so one burst does not wake its neighbours. */
const MOVEMENT_CAP = 4;
/** Heart-rate elevation is measured in units of this fraction of the sleeping level. */
export const HEART_RATE_UNIT = 0.04;
/** Steps at this cadence (steps/min) are walking: awake. */
const WALKING_CADENCE = 40;

export interface SleepFeatures {
  /** Activity above the noise floor in typical movements at rest (0..4); NaN where the epoch has no activity. */
  movement: Float32Array;
  /** Oakley-weighted movement (same unit); NaN where the epoch has no activity. */
  score: Float32Array;
  /** Median heart rate of the epoch and 2 on each side (bpm); NaN where none. */
  heartRate: Float32Array;
  /** The sleeping heart-rate level of the window (bpm); NaN without heart rate. */
  heartRateBase: number;
  /** (heartRate − base) / (4 % of base); NaN where no heart rate. */
  elevation: Float32Array;
  /** 1 where the epoch lies in a stretch with little movement (the first, coarse pass). */
  rest: Uint8Array;
  activityEpochs: number;
  heartRateEpochs: number;
}

const finite = (v: number): boolean => !Number.isNaN(v);

/**
 * What the still wrist reads: 0 for counts, the sensor's noise for a motion intensity. Taken from the stillest 10 %
 * of 10-min stretches: their median plus 3 times their median absolute deviation.
 */
function noiseFloor(a: Float32Array): number {
  const n = a.length;
  const medians: number[] = [];
  const deviations: number[] = [];
  const window: number[] = [];
  for (let i = 0; i < n; i += 5) {
    window.length = 0;
    for (let k = Math.max(0, i - 10); k <= Math.min(n - 1, i + 10); k++) {
      const v = a[k] as number;
      if (finite(v)) window.push(v);
    }
    if (window.length < 5) continue;
    const median = quantile(window, 0.5);
    medians.push(median);
    deviations.push(
      quantile(
        window.map((v) => Math.abs(v - median)),
        0.5,
      ),
    );
  }
  return quantile(medians, 0.1) + 3 * quantile(deviations, 0.1);
}

function activityFeatures(table: EpochTable): Pick<SleepFeatures, "movement" | "score" | "rest" | "activityEpochs"> {
  const n = table.length;
  const a = table.activity;
  const movement = new Float32Array(n).fill(Number.NaN);
  const score = new Float32Array(n).fill(Number.NaN);
  const rest = new Uint8Array(n);
  const floor = noiseFloor(a);
  if (!finite(floor)) return { movement, score, rest, activityEpochs: 0 };
  const above = new Float64Array(n).fill(Number.NaN);
  let activityEpochs = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i] as number;
    if (!finite(v)) continue;
    above[i] = Math.max(0, v - floor);
    activityEpochs++;
  }
  // First pass: stretches where at most 30 % of the epochs within 5 min move are at rest (in bed, most often).
  const moving = new Int32Array(n + 1);
  const present = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = above[i] as number;
    moving[i + 1] = (moving[i] as number) + (v > 0 ? 1 : 0);
    present[i + 1] = (present[i] as number) + (finite(v) ? 1 : 0);
  }
  const atRest: number[] = [];
  const all: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = above[i] as number;
    if (!finite(v)) continue;
    const lo = Math.max(0, i - 10);
    const hi = Math.min(n, i + 11);
    const m = (moving[hi] as number) - (moving[lo] as number);
    const p = (present[hi] as number) - (present[lo] as number);
    if (m <= 0.3 * p) rest[i] = 1;
    if (v > 0) {
      all.push(v);
      if (rest[i]) atRest.push(v);
    }
  }
  // A channel that never rises above its floor (a device off the wrist, or a stuck stream) tells nothing: no activity.
  if (all.length === 0) return { movement, score, rest: new Uint8Array(n), activityEpochs: 0 };
  // The unit: the median size of a movement while at rest (of any movement when rest has too few).
  const unit = atRest.length >= 10 ? quantile(atRest, 0.5) : quantile(all, 0.5);
  for (let i = 0; i < n; i++) {
    const v = above[i] as number;
    if (finite(v)) movement[i] = Math.min(MOVEMENT_CAP, v / unit);
  }
  for (let i = 0; i < n; i++) {
    if (!finite(movement[i] as number)) continue;
    let s = 0;
    for (let k = -4; k <= 4; k++) {
      const v = movement[i + k];
      if (v !== undefined && finite(v)) s += (OAKLEY_WEIGHTS[k + 4] as number) * v;
    }
    score[i] = s;
  }
  return { movement, score, rest, activityEpochs };
}

function heartFeatures(
  table: EpochTable,
  rest: Uint8Array,
  hasActivity: boolean,
): Pick<SleepFeatures, "heartRate" | "heartRateBase" | "elevation" | "heartRateEpochs"> {
  const n = table.length;
  const hr = table.heartRate;
  const smooth = new Float32Array(n).fill(Number.NaN);
  const medians = movingMedian(hr, 2);
  let heartRateEpochs = 0;
  for (let i = 0; i < n; i++) {
    if (!finite(hr[i] as number)) continue;
    heartRateEpochs++;
    smooth[i] = medians[i] as number;
  }
  const elevation = new Float32Array(n).fill(Number.NaN);
  const low = quantile(smooth, 0.05);
  if (!finite(low)) return { heartRate: smooth, heartRateBase: Number.NaN, elevation, heartRateEpochs };
  // The sleeping level: the median of the low heart rates (within 25 % of the lowest) while at rest.
  const sleeping: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = smooth[i] as number;
    if (finite(v) && v <= 1.25 * low && (!hasActivity || rest[i])) sleeping.push(v);
  }
  const base = sleeping.length > 0 ? quantile(sleeping, 0.5) : low;
  for (let i = 0; i < n; i++) {
    const v = smooth[i] as number;
    if (finite(v)) elevation[i] = (v - base) / (HEART_RATE_UNIT * base);
  }
  return { heartRate: smooth, heartRateBase: base, elevation, heartRateEpochs };
}

/** The per-epoch features the sleep statistics share (exported for the night and stage modules). */
export function sleepFeatures(table: EpochTable): SleepFeatures {
  const activity = activityFeatures(table);
  return { ...activity, ...heartFeatures(table, activity.rest, activity.activityEpochs > 0) };
}

/** Runs of equal codes as [code, start, end) triples. */
export function runsOf(codes: Uint8Array): Array<[number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  let start = 0;
  for (let i = 1; i <= codes.length; i++) {
    if (i === codes.length || codes[i] !== codes[start]) {
      runs.push([codes[start] as number, start, i]);
      start = i;
    }
  }
  return runs;
}

/**
 * Webster et al. 1982 at 30-s epochs. (d) sleep of ≤ 6 min between ≥ 10 min of wake, (e) ≤ 10 min between ≥ 20 min,
 * are wake. With `extend` (motion alone, as Cole-Kripke): after ≥ 4 / 10 / 15 min of wake the next 1 / 3 / 4 min of
 * sleep are wake. With heart rate, the onset rule below does that job from physiology instead.
 */
function rescore(codes: Uint8Array, extend: boolean): void {
  const runs = runsOf(codes);
  for (let r = 1; r + 1 < runs.length; r++) {
    const [code, start, end] = runs[r] as [number, number, number];
    const before = runs[r - 1] as [number, number, number];
    const after = runs[r + 1] as [number, number, number];
    if (code !== SLEEP || before[0] !== WAKE || after[0] !== WAKE) continue;
    const length = end - start;
    const wakeAround = Math.min(before[2] - before[1], after[2] - after[1]);
    if ((length <= 12 && wakeAround >= 20) || (length <= 20 && wakeAround >= 40)) codes.fill(WAKE, start, end);
  }
  if (!extend) return;
  const original = codes.slice();
  for (const [code, start, end] of runsOf(original)) {
    if (code !== WAKE || end >= codes.length || original[end] !== SLEEP) continue;
    const length = end - start;
    const next = length >= 30 ? 8 : length >= 20 ? 6 : length >= 8 ? 2 : 0;
    for (let i = end; i < Math.min(codes.length, end + next) && original[i] === SLEEP; i++) codes[i] = WAKE;
  }
}

/**
 * Per-epoch sleep/wake over any table: 1 sleep, 0 wake, 2 no data (no activity and no heart rate). Wake is walking
 * or a workout; else, with motion and heart rate, any of: movement above the threshold with heart rate ≥ 4 % above
 * the sleeping level; movement 2.5 times the threshold; heart rate 8 % up with half the threshold's movement, or 16 %
 * up with a quarter; heart rate 24 % up however still. With motion alone: Oakley's rule. With heart rate alone: heart
 * rate 12 % up. Then Webster's rescoring, and two heart-rate rules: a bout of sleep after ≥ 5 min without sleep
 * starts only once heart rate is back within 8 % of the sleeping level (at most 60 min later), and a bout under
 * 5 min between wake through which heart rate stays 8 % up is wake.
 */
export function classifySleepWake(table: EpochTable): Uint8Array {
  // Tables are never changed once built; a day's table is classified once however many windows read it.
  let states = classified.get(table);
  if (!states) {
    states = classifyWith(table, sleepFeatures(table));
    classified.set(table, states);
  }
  return states;
}

const classified = new WeakMap<EpochTable, Uint8Array>();

/** `classifySleepWake` from features already computed. */
export function classifyWith(table: EpochTable, f: SleepFeatures): Uint8Array {
  const n = table.length;
  const codes = new Uint8Array(n);
  let motionOnly = true;
  for (let i = 0; i < n; i++) {
    const m = f.score[i] as number;
    const z = f.elevation[i] as number;
    const hasMotion = finite(m);
    const hasHeart = finite(z);
    if (!hasMotion && !hasHeart) {
      codes[i] = NO_DATA;
      continue;
    }
    if (hasHeart) motionOnly = false;
    const walking = (table.cadence[i] as number) >= WALKING_CADENCE || table.workout[i] === 1;
    let wake: boolean;
    if (hasMotion && hasHeart) {
      wake =
        (m >= MOVEMENT_THRESHOLD && z >= 1) ||
        m >= 2.5 * MOVEMENT_THRESHOLD ||
        (z >= 2 && m >= 0.5 * MOVEMENT_THRESHOLD) ||
        (z >= 4 && m >= 0.25 * MOVEMENT_THRESHOLD) ||
        z >= 6;
    } else if (hasMotion) {
      wake = m >= MOVEMENT_THRESHOLD;
    } else {
      wake = z >= 3;
    }
    codes[i] = walking || wake ? WAKE : SLEEP;
  }
  rescore(codes, motionOnly);
  onsetRule(codes, f.elevation);
  briefBoutRule(codes, f.elevation);
  return codes;
}

/** A bout of sleep under 5 min between wake, through which heart rate stays 8 % up, is wake: sleep lowers it. */
function briefBoutRule(codes: Uint8Array, elevation: Float32Array): void {
  const runs = runsOf(codes);
  for (let r = 1; r + 1 < runs.length; r++) {
    const [code, start, end] = runs[r] as [number, number, number];
    if (code !== SLEEP || end - start > 10) continue;
    if ((runs[r - 1] as [number, number, number])[0] !== WAKE || (runs[r + 1] as [number, number, number])[0] !== WAKE)
      continue;
    if (quantile(elevation.subarray(start, end), 0.5) >= 2) codes.fill(WAKE, start, end);
  }
}

/** Sleep after ≥ 10 epochs without sleep (or at the start of the data) begins once heart rate has settled. */
function onsetRule(codes: Uint8Array, elevation: Float32Array): void {
  const n = codes.length;
  let without = Number.POSITIVE_INFINITY;
  let i = 0;
  while (i < n) {
    if (codes[i] !== SLEEP) {
      without++;
      i++;
      continue;
    }
    let j = i;
    if (without >= 10) {
      while (j < Math.min(n, i + 120) && codes[j] === SLEEP && (elevation[j] as number) >= 2) codes[j++] = WAKE;
    }
    let k = j;
    while (k < n && codes[k] === SLEEP) k++;
    without = k > j ? 0 : without + (j - i);
    i = k;
  }
}
