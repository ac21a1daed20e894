/**
 * Synthetic wearable data with known truth, for the statistics tests, the benchmark and the local demo account
 * (docs/statistics.md). One person (35 years, resting heart rate 58 ± 1) lives `days` local days:
 * a night of NREM/REM cycles, walks, a run on most days, stress episodes at the desk and a calm evening rest. The
 * generator draws the schedule first (the truth), then simulates heart rate, beats and movement second by second,
 * then samples each measurement type from that. No imports at all and only erasable syntax, so Node 24 can import
 * this file directly from .mjs (type stripping). Deterministic: the same options give byte-identical output.
 */
import {
  BED,
  BREATH,
  CODE,
  completeTruth,
  DAY,
  type Model,
  mulberry32,
  type Night,
  next,
  PERSON,
  plan,
  type Rng,
  SKIN,
  simulate,
  WALK,
  WORKOUT,
  type World,
} from "./synthetic-model.ts";

export { SYNTHETIC_ACTIVITY } from "./synthetic-model.ts";

export interface SyntheticOptions {
  startDay: string;
  days: number;
  seed?: number;
  utcOffsetMinutes?: number;
  heartRateIntervalSeconds?: number;
  activity?: "count-1s" | "count-30s" | "count-60s" | "motion-only";
  activityScale?: number;
  types?: string[];
  restingHeartRateSamples?: boolean;
  gaps?: Array<{ from: number; to: number }>;
}
export interface SyntheticSeries {
  seconds: Int32Array;
  values: Float64Array;
  quality: Uint8Array;
}
export interface SyntheticTruthNight {
  day: string;
  inBedStart: number;
  onset: number;
  wake: number;
  inBedEnd: number;
  totalSleepMinutes: number;
  stages: Uint8Array;
  rmssd: number;
}
export interface SyntheticTruthDay {
  day: string;
  restingHeartRate: number;
  stressEpisodes: Array<{ start: number; end: number }>;
  stressMinutes: number;
  workout: { start: number; end: number; type: number } | null;
  intenseMinutes: number;
  night: SyntheticTruthNight | null;
}
export interface SyntheticSession {
  startDatetime: string;
  endDatetime: string;
  type: number;
  info: { name: string; origin: number };
}
export interface SyntheticData {
  series: Record<string, SyntheticSeries>;
  sessions: SyntheticSession[];
  truth: SyntheticTruthDay[];
  person: { age: number; maxHeartRate: number };
}

/** The ten measurement types, in the order of src/measurements/types.ts. */
export const SYNTHETIC_TYPES = [
  "HEART_BEAT",
  "HEART_RATE",
  "HEART_RATE_GRAPH",
  "RESPIRATION_RATE",
  "RESTING_HEART_RATE",
  "TEMPERATURE",
  "ACTIVITY_COUNT",
  "ACTIVITY_TYPE",
  "ACTIVITY_CADENCE",
  "MOTION_GRAPH",
];
const INTEGER_TYPES = [
  "HEART_BEAT",
  "HEART_RATE",
  "HEART_RATE_GRAPH",
  "RESTING_HEART_RATE",
  "ACTIVITY_COUNT",
  "ACTIVITY_TYPE",
];

/** One type's samples before the gaps: seconds after the window's start, or null for every second (shared). */
interface Raw {
  index: Int32Array | null;
  values: Float64Array;
  quality: Uint8Array;
}

function raw(length: number, step: number): Raw {
  const index = step === 1 ? null : new Int32Array(length);
  for (let k = 0; index && k < length; k++) index[k] = k * step;
  return { index, values: new Float64Array(length), quality: new Uint8Array(length).fill(4) };
}

/**
 * Leaves out the samples inside the gaps (`off`, per second) in place, and gives Unix seconds. The 1 Hz series share
 * one `seconds` array (`everySecond`, already cut by the gaps): treat all arrays as read-only.
 */
function finish(x: Raw, t0: number, off: Uint8Array | null, everySecond: Int32Array): SyntheticSeries {
  const { index, values, quality } = x;
  if (!index && !off) return { seconds: everySecond, values, quality };
  let k = 0;
  for (let j = 0; j < values.length; j++) {
    const i = index ? (index[j] as number) : j;
    if (off?.[i]) continue;
    if (index) index[k] = t0 + i;
    values[k] = values[j] as number;
    quality[k++] = quality[j] as number;
  }
  return {
    seconds: index ? index.subarray(0, k) : everySecond,
    values: values.subarray(0, k),
    quality: quality.subarray(0, k),
  };
}

const moving = (state: number) => state === WALK || state === WORKOUT;
/**
 * One uniform draw `u` gives the quality: 4 mostly, 3 now and then, 2 more often while moving, 1 rarely. At quality 4
 * the rest of the draw, stretched back to [0, 1), serves as the sample's noise; otherwise `spare` draws anew.
 */
const qualityOf = (u: number, move: boolean) => (u < 0.004 ? 1 : move && u < 0.1 ? 2 : u < 0.04 ? 3 : 4);
const spare = (u: number, move: boolean, r: Rng) => {
  const cut = move ? 0.1 : 0.04;
  return u >= cut ? (u - cut) / (1 - cut) : next(r);
};

/** HEART_RATE every `step` s: the true heart rate plus noise within ±2 bpm (±5 at quality 1-2), rounded. */
function heartRate(w: World, r: Rng, step: number): Raw {
  const x = raw(Math.ceil(w.n / step), step);
  for (let k = 0; k < x.values.length; k++) {
    const i = k * step;
    const u = next(r);
    const move = moving(w.state[i] as number);
    const q = qualityOf(u, move);
    const noise = (spare(u, move, r) - 0.5) * (q >= 3 ? 4 : 10);
    x.values[k] = Math.min(230, Math.max(30, Math.round((w.hr[i] as number) + noise)));
    x.quality[k] = q;
  }
  return x;
}

/** The graph types: one sample per minute (on the minute), the mean of the minute's seconds outside the gaps. */
function minuteMeans(w: World, source: Float32Array | Uint8Array, off: Uint8Array | null, scale: number): Raw {
  const x = raw(Math.ceil(w.n / 60), 60);
  for (let k = 0; k < x.values.length; k++) {
    let sum = 0;
    let count = 0;
    for (let i = k * 60, to = Math.min(w.n, i + 60); i < to; i++) {
      if (off?.[i]) continue;
      sum += source[i] as number;
      count++;
    }
    x.values[k] = count > 0 ? Math.round((sum / count) * scale) / scale : 0;
  }
  return x;
}

/** 1 Hz, a value drifting towards the state's level (`table`) with noise; for breathing and skin temperature. */
function drifting(w: World, r: Rng, table: number[], rate: number, sd: number, scale: number): Raw {
  const x = raw(w.n, 1);
  const shift = (next(r) - 0.5) * sd * 5; // the day-to-day offset of this person's level
  let level = (table[w.state[0] as number] as number) + shift;
  for (let i = 0; i < w.n; i++) {
    const st = w.state[i] as number;
    level += ((table[st] as number) + shift - level) * rate;
    const u = next(r);
    const q = qualityOf(u, moving(st));
    const v = level + (st === BED + 3 ? 2.5 : 1) * sd * 3.46 * (spare(u, moving(st), r) - 0.5); // REM: irregular
    x.values[i] = Math.round(Math.max(8, v) * scale) / scale;
    x.quality[i] = q === 1 ? 3 : q;
  }
  return x;
}

/** ACTIVITY_COUNT per `size`-second bucket: the movement of its seconds outside the gaps, times the device scale. */
function counts(w: World, off: Uint8Array | null, size: number, scale: number): Raw {
  const x = raw(Math.ceil(w.n / size), size);
  for (let k = 0; k < x.values.length; k++) {
    let sum = 0;
    for (let i = k * size, to = Math.min(w.n, i + size); i < to; i++) if (!off?.[i]) sum += w.move[i] as number;
    x.values[k] = Math.round(sum * scale);
  }
  return x;
}

function sample(type: string, o: Required<SyntheticOptions>, m: Model, r: Rng, off: Uint8Array | null): Raw {
  const { w } = m;
  if (type === "HEART_RATE") return heartRate(w, r, o.heartRateIntervalSeconds);
  if (type === "HEART_RATE_GRAPH") return minuteMeans(w, w.hr, off, 1);
  if (type === "MOTION_GRAPH") return minuteMeans(w, w.move, off, 10);
  if (type === "RESPIRATION_RATE") return drifting(w, r, BREATH, 0.01, 0.3, 10);
  if (type === "TEMPERATURE") return drifting(w, r, SKIN, 1 / 1200, 0.02, 100);
  if (type === "ACTIVITY_COUNT") {
    const size = o.activity === "count-30s" ? 30 : o.activity === "count-60s" ? 60 : 1;
    return counts(w, off, size, o.activityScale);
  }
  if (type === "HEART_BEAT") {
    const { beatAt, beatRr } = m.beats; // handed over: the truth is complete
    return { index: beatAt, values: beatRr, quality: new Uint8Array(beatAt.length).fill(4) };
  }
  if (type === "RESTING_HEART_RATE") {
    // The device's estimate, on every full local hour between getting up and lights-out.
    const at: number[] = [];
    const values: number[] = [];
    m.resting.forEach((rest, day) => {
      for (let t = day * DAY; t < (day + 1) * DAY; t += 3600) {
        if (t + w.t0 > (w.nights[day] as Night).end && t + w.t0 < (w.nights[day + 1] as Night).start) {
          at.push(t);
          values.push(rest);
        }
      }
    });
    return {
      index: Int32Array.from(at),
      values: Float64Array.from(values),
      quality: new Uint8Array(at.length).fill(4),
    };
  }
  // Mostly zero: only the non-zero values are written, so the zero pages of the fresh arrays stay untouched (cheaper).
  const x = raw(w.n, 1);
  if (type === "ACTIVITY_TYPE") {
    for (let i = 0; i < w.n; i++)
      if (CODE[w.state[i] as number] !== 0) x.values[i] = CODE[w.state[i] as number] as number;
  } else {
    for (let i = 0; i < w.n; i++) {
      const cadence = w.cadence[i] as number;
      if (cadence > 0) x.values[i] = Math.round((cadence + (next(r) - 0.5) * 6) * 10) / 10;
    }
  }
  return x;
}

export function syntheticDays(options: SyntheticOptions): SyntheticData {
  const o: Required<SyntheticOptions> = {
    startDay: options.startDay,
    days: options.days,
    seed: options.seed ?? 1,
    utcOffsetMinutes: options.utcOffsetMinutes ?? 0,
    heartRateIntervalSeconds: options.heartRateIntervalSeconds ?? 1,
    activity: options.activity ?? "count-1s",
    activityScale: options.activityScale ?? 1,
    types: options.types ?? SYNTHETIC_TYPES,
    restingHeartRateSamples: options.restingHeartRateSamples ?? true,
    gaps: options.gaps ?? [],
  };
  if (!["count-1s", "count-30s", "count-60s", "motion-only"].includes(o.activity)) throw new Error("bad activity");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.startDay) || Number.isNaN(Date.parse(o.startDay))) {
    throw new Error(`startDay must be YYYY-MM-DD (got ${o.startDay})`);
  }
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 120) throw new Error("days must be an integer 1-120");
  if (!Number.isInteger(o.utcOffsetMinutes) || Math.abs(o.utcOffsetMinutes) > 840)
    throw new Error("bad utcOffsetMinutes");
  const step = o.heartRateIntervalSeconds;
  if (!Number.isInteger(step) || step < 1 || step > 60) throw new Error("heartRateIntervalSeconds must be 1-60");
  if (!(o.activityScale > 0)) throw new Error("activityScale must be positive");
  for (const type of o.types) if (!SYNTHETIC_TYPES.includes(type)) throw new Error(`unknown type ${type}`);
  const seed = o.seed >>> 0;
  const { w, truth, sessions, resting } = plan(o, mulberry32(seed ^ 0x9e3779b9));
  const beats = simulate(w, mulberry32(seed ^ 0x85ebca6b));
  completeTruth(w, truth, beats);
  let off: Uint8Array | null = null;
  for (const gap of o.gaps) {
    off ??= new Uint8Array(w.n);
    off.fill(1, Math.max(0, gap.from - w.t0), Math.max(0, Math.min(w.n, gap.to - w.t0)));
  }
  let count = 0;
  const everySecond = new Int32Array(w.n);
  for (let i = 0; i < w.n; i++) if (!off?.[i]) everySecond[count++] = w.t0 + i;
  const series: Record<string, SyntheticSeries> = {};
  SYNTHETIC_TYPES.forEach((type, index) => {
    if (!o.types.includes(type)) return;
    if (type === "ACTIVITY_COUNT" && o.activity === "motion-only") return;
    if (type === "RESTING_HEART_RATE" && !o.restingHeartRateSamples) return;
    // Each type has its own noise stream, so choosing types, rates or gaps never changes another type's values.
    const r = mulberry32(seed ^ (0x1000 + index * 0x3c6ef372));
    series[type] = finish(sample(type, o, { w, beats, resting }, r, off), w.t0, off, everySecond.subarray(0, count));
  });
  return { series, sessions, truth, person: { ...PERSON } };
}

/** Writes the non-negative integer `x` at `pos`; returns the position after it. */
function writeDigits(buf: Uint8Array, pos: number, x: number): number {
  let len = 1;
  for (let p = 10; p <= x; p *= 10) len++;
  for (let k = pos + len - 1; k >= pos; k--) {
    buf[k] = 48 + (x % 10);
    x = Math.floor(x / 10);
  }
  return pos + len;
}

/** Writes `String(v)`: by hand when v has at most two decimals (the exact same text), else through String. */
function writeNumber(buf: Uint8Array, pos: number, v: number): number {
  const cents = Math.round(v * 100);
  if (Math.abs(v) < 1e9 && cents / 100 === v) {
    if (cents < 0) buf[pos++] = 45;
    const abs = Math.abs(cents);
    pos = writeDigits(buf, pos, Math.floor(abs / 100));
    const fraction = abs % 100;
    if (fraction === 0) return pos;
    buf[pos++] = 46;
    if (fraction % 10 === 0) return writeDigits(buf, pos, fraction / 10);
    buf[pos++] = 48 + Math.floor(fraction / 10);
    buf[pos++] = 48 + (fraction % 10);
    return pos;
  }
  const text = String(v);
  for (let k = 0; k < text.length; k++) buf[pos++] = text.charCodeAt(k);
  return pos;
}

/** The bytes `toCsv` writes into, kept between calls: fresh memory is slow to touch the first time. */
let scratch = new Uint8Array(0);

/** The upload CSV of one type: a header, then `datetime,value[,quality_indicator]` rows (docs/measurements.md). */
export function toCsv(type: string, series: SyntheticSeries): string {
  if (!SYNTHETIC_TYPES.includes(type)) throw new Error(`unknown type ${type}`);
  const graph = type === "HEART_RATE_GRAPH" || type === "MOTION_GRAPH";
  const integer = INTEGER_TYPES.includes(type);
  const { seconds, values, quality } = series;
  const header = graph ? "datetime,value\n" : "datetime,value,quality_indicator\n";
  const need = header.length + 24 * seconds.length + 64; // rows are 14-21 bytes: no regrowth
  if (scratch.length < need) scratch = new Uint8Array(need);
  let buf = scratch;
  let pos = 0;
  for (; pos < header.length; pos++) buf[pos] = header.charCodeAt(pos);
  for (let k = 0; k < seconds.length; k++) {
    if (pos + 64 > buf.length) {
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
    }
    const v = values[k] as number;
    if (integer && !Number.isInteger(v)) throw new Error(`${type} value ${v} at ${seconds[k]} is not an integer`);
    pos = writeDigits(buf, pos, seconds[k] as number);
    buf[pos++] = 44;
    pos = writeNumber(buf, pos, v);
    if (!graph) {
      buf[pos++] = 44;
      buf[pos++] = 48 + (quality[k] as number);
    }
    buf[pos++] = 10;
  }
  scratch = buf;
  return new TextDecoder().decode(buf.subarray(0, pos));
}
