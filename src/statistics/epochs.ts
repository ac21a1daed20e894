/**
 * The epoch table: the one intermediate every statistic reads. Raw samples of any rate (1 Hz heart rate, heart rate
 * every few seconds, activity counts per second or per 30-s or 60-s epoch, motion intensity) become one row per
 * 30-s epoch, with NaN where nothing was measured. Pure: no I/O, no bindings, no imports beyond types.
 */

/** Length of an epoch in seconds (the scoring epoch of polysomnography and of Walch et al. 2019). */
export const EPOCH_SECONDS = 30;

/** Samples of one measurement type over a window, in ascending time order. */
export interface SeriesInput {
  /** Unix seconds, strictly ascending. */
  seconds: ArrayLike<number>;
  values: ArrayLike<number>;
  /** 0-4, 4 best. 0 means the device marked the sample invalid: it is ignored. */
  quality: ArrayLike<number>;
}

/** A session that overlaps the window (activities are workouts: `type` 1-122; intentions are 0). */
export interface SessionSpan {
  /** Unix seconds. */
  start: number;
  /** Unix seconds; null while ongoing (then it counts until the window ends). */
  end: number | null;
  type: number;
}

/** The measurement types the statistics read (a subset of src/measurements/types.ts). */
export type EpochSource =
  | "HEART_RATE"
  | "HEART_RATE_GRAPH"
  | "HEART_BEAT"
  | "RESTING_HEART_RATE"
  | "ACTIVITY_COUNT"
  | "ACTIVITY_CADENCE"
  | "MOTION_GRAPH";

export interface EpochInput {
  /** Unix seconds of the window's start (the first epoch starts here) and end (exclusive). */
  start: number;
  end: number;
  series: Partial<Record<EpochSource, SeriesInput>>;
  sessions: SessionSpan[];
}

export interface EpochTable {
  /** Unix seconds of the first epoch's start. */
  start: number;
  /** Number of epochs: ceil((end - start) / EPOCH_SECONDS). Epoch i covers [start + 30 i, start + 30 (i + 1)). */
  length: number;
  /**
   * Mean heart rate (bpm) of the epoch's HEART_RATE samples; where an epoch has none, HEART_RATE_GRAPH's. A sample
   * stands for the interval to the next one, up to the stream's median spacing (at most 60 s), so heart rate sent
   * once a minute fills every epoch, as heart rate every second or every few seconds does. NaN where no sample
   * covers the epoch (a gap longer than the stream's spacing).
   */
  heartRate: Float32Array;
  /**
   * Activity per epoch, on the device's own scale (statistics must adapt thresholds to the user's distribution):
   * - from ACTIVITY_COUNT, the counts in the epoch; a sample covers the interval to the next one (the median spacing
   *   of the stream, at most 60 s) and its count is spread evenly over it, so per-second, per-30-s and per-60-s
   *   streams give comparable epochs;
   * - else from MOTION_GRAPH, the mean motion intensity in the epoch; like heart rate, a sample stands for the
   *   interval to the next one up to the stream's median spacing (a graph point per minute fills both its epochs).
   * NaN where the chosen stream has no sample covering the epoch.
   */
  activity: Float32Array;
  /** Which stream `activity` came from (the one covering more epochs, ACTIVITY_COUNT on a tie); null when neither. */
  activitySource: "ACTIVITY_COUNT" | "MOTION_GRAPH" | null;
  /** Mean cadence (steps/min) of the epoch's ACTIVITY_CADENCE samples; NaN when none. */
  cadence: Float32Array;
  /** Mean of the RESTING_HEART_RATE samples in the epoch (bpm); NaN when none. */
  restingHeartRate: Float32Array;
  /**
   * HEART_BEAT (RR intervals in ms): over successive beats whose intervals are both plausible (300-2000 ms) and
   * differ by at most 20 % (artefact rejection), the sum of squared successive differences (ms²) and their count,
   * attributed to the epoch of the later beat. RMSSD over any set of epochs is sqrt(sum / count).
   */
  rrSquaredDiffSum: Float64Array;
  rrDiffCount: Uint16Array;
  /** Mean RR interval (ms) of the epoch's accepted beats; NaN when none. */
  rrMean: Float32Array;
  /** 1 where the epoch overlaps an activity session (a workout, type 1-122), else 0. */
  workout: Uint8Array;
}

/** Index of the first element of ascending `sorted` not below `value` (binary search). */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The epoch containing Unix second `t`, or -1 outside the table. */
export function epochIndex(table: Pick<EpochTable, "start" | "length">, t: number): number {
  const i = Math.floor((t - table.start) / EPOCH_SECONDS);
  return i >= 0 && i < table.length ? i : -1;
}

/** Unix seconds of the start of epoch `i`. */
export const epochStart = (table: Pick<EpochTable, "start">, i: number): number => table.start + i * EPOCH_SECONDS;

/** What every statistic answers for one period; `metadata.reason` says why when `enoughData` is false. */
export interface StatisticResult {
  data: Record<string, unknown>;
  enoughData: boolean;
  metadata: Record<string, unknown>;
}

const MAX_COUNT_INTERVAL = 60;
const RR_MIN = 300;
const RR_MAX = 2000;
const RR_MAX_CHANGE = 0.2;

/** Means per epoch of one stream's valid samples; NaN where none. */
function epochMeans(input: SeriesInput | undefined, start: number, length: number): Float32Array {
  const sums = new Float64Array(length);
  const counts = new Uint32Array(length);
  const out = new Float32Array(length).fill(Number.NaN);
  if (!input) return out;
  for (let k = 0; k < input.seconds.length; k++) {
    if ((input.quality[k] as number) === 0) continue;
    const i = Math.floor(((input.seconds[k] as number) - start) / EPOCH_SECONDS);
    if (i < 0 || i >= length) continue;
    sums[i] = (sums[i] as number) + (input.values[k] as number);
    counts[i] = (counts[i] as number) + 1;
  }
  for (let i = 0; i < length; i++) if ((counts[i] as number) > 0) out[i] = (sums[i] as number) / (counts[i] as number);
  return out;
}

/** The median spacing of a stream's samples, clamped to 1..60 s: the interval one count covers. */
function countInterval(seconds: ArrayLike<number>): number {
  const n = seconds.length;
  if (n < 2) return EPOCH_SECONDS;
  const gaps: number[] = [];
  const step = Math.max(1, Math.floor(n / 2000));
  for (let k = step; k < n; k += step) gaps.push((seconds[k] as number) - (seconds[k - step] as number));
  gaps.sort((a, b) => a - b);
  const median = (gaps[gaps.length >> 1] as number) / step;
  return Math.min(MAX_COUNT_INTERVAL, Math.max(1, Math.round(median)));
}

/**
 * Heart rate per epoch: the mean of the epoch's valid samples; an epoch with none takes the latest earlier sample
 * while that sample still covers it (it stands for [t, t + interval), cut at the next sample, interval being the
 * stream's median spacing, 1..60 s). NaN where nothing covers the epoch.
 */
function epochLevels(input: SeriesInput | undefined, start: number, length: number): Float32Array {
  const out = epochMeans(input, start, length);
  if (!input || input.seconds.length < 2) return out;
  const interval = countInterval(input.seconds);
  if (interval <= 1) return out;
  const n = input.seconds.length;
  const end = start + length * EPOCH_SECONDS;
  for (let k = 0; k < n; k++) {
    if ((input.quality[k] as number) === 0) continue;
    const t0 = input.seconds[k] as number;
    const next = k + 1 < n ? (input.seconds[k + 1] as number) : Number.POSITIVE_INFINITY;
    const to = Math.min(t0 + interval, next, end);
    // The epochs after the sample's own that its interval reaches.
    const first = Math.max(0, Math.floor((t0 - start) / EPOCH_SECONDS) + 1);
    for (let i = first; i < length && start + i * EPOCH_SECONDS < to; i++) {
      if (Number.isNaN(out[i] as number)) out[i] = input.values[k] as number;
    }
  }
  return out;
}

/** Counts spread evenly over [t, t + interval) (cut at the next sample), summed per epoch. */
function epochCounts(input: SeriesInput | undefined, start: number, length: number): Float32Array {
  const out = new Float32Array(length).fill(Number.NaN);
  if (!input || input.seconds.length === 0) return out;
  const interval = countInterval(input.seconds);
  const end = start + length * EPOCH_SECONDS;
  const n = input.seconds.length;
  for (let k = 0; k < n; k++) {
    if ((input.quality[k] as number) === 0) continue;
    const t0 = input.seconds[k] as number;
    const next = k + 1 < n ? (input.seconds[k + 1] as number) : Number.POSITIVE_INFINITY;
    const t1 = Math.min(t0 + interval, next);
    const from = Math.max(t0, start);
    const to = Math.min(t1, end);
    if (to <= from) continue;
    const perSecond = (input.values[k] as number) / (t1 - t0);
    let t = from;
    while (t < to) {
      const i = Math.floor((t - start) / EPOCH_SECONDS);
      const epochEnd = start + (i + 1) * EPOCH_SECONDS;
      const piece = Math.min(to, epochEnd) - t;
      const current = out[i] as number;
      out[i] = (Number.isNaN(current) ? 0 : current) + perSecond * piece;
      t += piece;
    }
  }
  return out;
}

const covered = (values: Float32Array): number => {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i] as number)) n++;
  return n;
};

/** Builds the epoch table of a window from its raw samples and sessions. */
export function buildEpochs(input: EpochInput): EpochTable {
  const { start } = input;
  const length = Math.max(0, Math.ceil((input.end - start) / EPOCH_SECONDS));
  const heartRate = epochLevels(input.series.HEART_RATE, start, length);
  const graph = epochLevels(input.series.HEART_RATE_GRAPH, start, length);
  for (let i = 0; i < length; i++) if (Number.isNaN(heartRate[i] as number)) heartRate[i] = graph[i] as number;

  const counts = epochCounts(input.series.ACTIVITY_COUNT, start, length);
  const motion = epochLevels(input.series.MOTION_GRAPH, start, length);
  const countCoverage = covered(counts);
  const motionCoverage = covered(motion);
  const activitySource =
    countCoverage === 0 && motionCoverage === 0
      ? null
      : countCoverage >= motionCoverage
        ? "ACTIVITY_COUNT"
        : "MOTION_GRAPH";

  const rrSquaredDiffSum = new Float64Array(length);
  const rrDiffCount = new Uint16Array(length);
  const rrSums = new Float64Array(length);
  const rrCounts = new Uint32Array(length);
  const beats = input.series.HEART_BEAT;
  if (beats) {
    let previous = Number.NaN;
    let previousAt = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < beats.seconds.length; k++) {
      const at = beats.seconds[k] as number;
      const rr = beats.values[k] as number;
      const plausible = (beats.quality[k] as number) > 0 && rr >= RR_MIN && rr <= RR_MAX;
      const i = Math.floor((at - start) / EPOCH_SECONDS);
      if (!plausible) {
        previous = Number.NaN;
        continue;
      }
      if (i >= 0 && i < length) {
        rrSums[i] = (rrSums[i] as number) + rr;
        rrCounts[i] = (rrCounts[i] as number) + 1;
        // Successive only when no beat is missing in between: the gap in time is about this interval.
        const successive = at - previousAt <= Math.ceil(rr / 1000) + 1;
        if (!Number.isNaN(previous) && successive && Math.abs(rr - previous) <= RR_MAX_CHANGE * previous) {
          const d = rr - previous;
          rrSquaredDiffSum[i] = (rrSquaredDiffSum[i] as number) + d * d;
          rrDiffCount[i] = Math.min(65_535, (rrDiffCount[i] as number) + 1);
        }
      }
      previous = rr;
      previousAt = at;
    }
  }
  const rrMean = new Float32Array(length).fill(Number.NaN);
  for (let i = 0; i < length; i++)
    if ((rrCounts[i] as number) > 0) rrMean[i] = (rrSums[i] as number) / (rrCounts[i] as number);

  const workout = new Uint8Array(length);
  const end = start + length * EPOCH_SECONDS;
  for (const session of input.sessions) {
    if (session.type < 1) continue;
    const from = Math.max(session.start, start);
    const to = Math.min(session.end ?? end, end);
    if (to <= from) continue;
    const first = Math.floor((from - start) / EPOCH_SECONDS);
    const last = Math.ceil((to - start) / EPOCH_SECONDS);
    workout.fill(1, first, last);
  }

  return {
    start,
    length,
    heartRate,
    activity: activitySource === "MOTION_GRAPH" ? motion : counts,
    activitySource,
    cadence: epochMeans(input.series.ACTIVITY_CADENCE, start, length),
    restingHeartRate: epochMeans(input.series.RESTING_HEART_RATE, start, length),
    rrSquaredDiffSum,
    rrDiffCount,
    rrMean,
    workout,
  };
}

/** The epochs [from, from + length) of a table as a table of their own (views, no copies). */
export function sliceEpochs(table: EpochTable, from: number, length: number): EpochTable {
  const a = Math.max(0, Math.min(table.length, from));
  const b = Math.max(a, Math.min(table.length, from + length));
  return {
    start: table.start + a * EPOCH_SECONDS,
    length: b - a,
    heartRate: table.heartRate.subarray(a, b),
    activity: table.activity.subarray(a, b),
    activitySource: table.activitySource,
    cadence: table.cadence.subarray(a, b),
    restingHeartRate: table.restingHeartRate.subarray(a, b),
    rrSquaredDiffSum: table.rrSquaredDiffSum.subarray(a, b),
    rrDiffCount: table.rrDiffCount.subarray(a, b),
    rrMean: table.rrMean.subarray(a, b),
    workout: table.workout.subarray(a, b),
  };
}

/**
 * Epochs [fromA, end of a) followed by [0, toB) of b, when b starts where a ends: a window across two consecutive
 * tables without reading the samples again. Null when they do not join or their activity comes from other streams.
 */
export function joinEpochs(a: EpochTable, fromA: number, b: EpochTable, toB: number): EpochTable | null {
  if (a.start + a.length * EPOCH_SECONDS !== b.start) return null;
  if (a.activitySource !== null && b.activitySource !== null && a.activitySource !== b.activitySource) return null;
  const x = sliceEpochs(a, fromA, a.length - fromA);
  const y = sliceEpochs(b, 0, toB);
  const join = <T extends Float32Array | Float64Array | Uint16Array | Uint8Array>(
    p: T,
    q: T,
    make: (n: number) => T,
  ): T => {
    const out = make(p.length + q.length);
    out.set(p, 0);
    out.set(q, p.length);
    return out;
  };
  const f32 = (n: number) => new Float32Array(n);
  return {
    start: x.start,
    length: x.length + y.length,
    heartRate: join(x.heartRate, y.heartRate, f32),
    activity: join(x.activity, y.activity, f32),
    activitySource: a.activitySource ?? b.activitySource,
    cadence: join(x.cadence, y.cadence, f32),
    restingHeartRate: join(x.restingHeartRate, y.restingHeartRate, f32),
    rrSquaredDiffSum: join(x.rrSquaredDiffSum, y.rrSquaredDiffSum, (n) => new Float64Array(n)),
    rrDiffCount: join(x.rrDiffCount, y.rrDiffCount, (n) => new Uint16Array(n)),
    rrMean: join(x.rrMean, y.rrMean, f32),
    workout: join(x.workout, y.workout, (n) => new Uint8Array(n)),
  };
}
