import {
  daytimeRestingHeartRate,
  homeostasisLimit,
  intenseActivity,
  type StressEpisode,
  stress,
} from "../../../src/statistics/day";
import type { EpochTable, StatisticResult } from "../../../src/statistics/epochs";
import {
  type SyntheticData,
  type SyntheticSeries,
  type SyntheticTruthDay,
  syntheticDays,
} from "../../../src/statistics/synthetic";
import { syntheticSource } from "../synthetic-source";

/**
 * The same synthetic days sent in other shapes: heart rate at other rates, with jitter and gaps; movement summed
 * over longer buckets, smoothed, on another scale, or as MOTION_GRAPH. Each shape is derived from the one 1-Hz
 * recording (`reference`), so whatever changes between shapes is the sampling, never the person.
 */

export const START_DAY = "2025-03-01";
/**
 * Days generated; the last CHECKED are compared. The first three give the stress baseline its least history (3 days
 * with rest heart rate), the checked days 4 to 10: a baseline still settling, as for a new user.
 */
export const DAYS = 10;
export const CHECKED = 7;

export interface Recording {
  /** 1 Hz heart rate, counts per second, cadence and the run sessions; no device resting heart rate, no graphs. */
  data: SyntheticData;
  /** The same movement as MOTION_GRAPH: the minute's mean, one decimal. */
  motionGraph: SyntheticSeries;
}

/**
 * The reference recording of `seed`. Without HEART_RATE_GRAPH (it would fill the epochs a sparse HEART_RATE leaves
 * empty, hiding what HEART_RATE alone gives) and without the device's own RESTING_HEART_RATE (it would answer
 * DAYTIME_RESTING_HEART_RATE before heart rate is read).
 */
const recordings = new Map<string, Recording>();

export function record(seed: number, days = DAYS): Recording {
  const key = `${seed}/${days}`;
  const known = recordings.get(key);
  if (known) return known;
  const data = syntheticDays({
    startDay: START_DAY,
    days,
    seed,
    types: ["HEART_RATE", "ACTIVITY_COUNT", "ACTIVITY_CADENCE", "MOTION_GRAPH"],
  });
  const motionGraph = data.series.MOTION_GRAPH as SyntheticSeries;
  const recording = { data: withSeries(data, { MOTION_GRAPH: undefined }), motionGraph };
  recordings.set(key, recording);
  return recording;
}

/** A small deterministic generator (mulberry32) for jitter and gap placement. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const series = (seconds: number[], values: number[], quality?: number[]): SyntheticSeries => ({
  seconds: Int32Array.from(seconds),
  values: Float64Array.from(values),
  quality: quality ? Uint8Array.from(quality) : new Uint8Array(seconds.length).fill(4),
});

/**
 * Every `step` s a sample of the 1-Hz series, taken `jitter` s early or late at random (uniform, whole seconds), and
 * none inside `gaps` ([from, to) Unix seconds).
 */
export function resampleLevel(
  s: SyntheticSeries,
  step: number,
  jitter = 0,
  gaps: Array<{ from: number; to: number }> = [],
  seed = 7,
): SyntheticSeries {
  const random = rng(seed);
  const seconds: number[] = [];
  const values: number[] = [];
  const quality: number[] = [];
  const first = s.seconds[0] as number;
  const last = s.seconds[s.seconds.length - 1] as number;
  const index = new Map<number, number>();
  for (let k = 0; k < s.seconds.length; k++) index.set(s.seconds[k] as number, k);
  let previous = Number.NEGATIVE_INFINITY;
  for (let t = first; t <= last; t += step) {
    const at = t + (jitter > 0 ? Math.round((random() * 2 - 1) * jitter) : 0);
    if (at <= previous || gaps.some((g) => at >= g.from && at < g.to)) continue;
    const k = index.get(at);
    if (k === undefined) continue;
    seconds.push(at);
    values.push(s.values[k] as number);
    quality.push(s.quality[k] as number);
    previous = at;
  }
  return series(seconds, values, quality);
}

/** Per-second counts as one value per second (0 where the recording has no sample), from t0. */
function perSecond(s: SyntheticSeries): { t0: number; counts: Float64Array } {
  const t0 = s.seconds[0] as number;
  const counts = new Float64Array((s.seconds[s.seconds.length - 1] as number) - t0 + 1);
  for (let k = 0; k < s.seconds.length; k++) counts[(s.seconds[k] as number) - t0] = s.values[k] as number;
  return { t0, counts };
}

/** Counts summed per `size`-second bucket, stamped at the bucket's start, times `scale` (not rounded). */
export function sumCounts(s: SyntheticSeries, size: number, scale = 1): SyntheticSeries {
  const { t0, counts } = perSecond(s);
  const seconds: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < counts.length; i += size) {
    let sum = 0;
    for (let j = i; j < Math.min(counts.length, i + size); j++) sum += counts[j] as number;
    seconds.push(t0 + i);
    values.push(sum * scale);
  }
  return series(seconds, values);
}

/**
 * Counts per second convolved with a Gaussian of `sigma` s (truncated at 3 sigma, normalised), sent every second:
 * a device that uploads a smoothed activity feature rather than raw counts (Walch et al. 2019 smooth counts with
 * sigma 50 s).
 */
export function smoothCounts(s: SyntheticSeries, sigma: number): SyntheticSeries {
  const { t0, counts } = perSecond(s);
  const reach = Math.ceil(3 * sigma);
  const kernel = new Float64Array(2 * reach + 1);
  let total = 0;
  for (let d = -reach; d <= reach; d++) total += kernel[d + reach] = Math.exp(-(d * d) / (2 * sigma * sigma));
  for (let d = 0; d < kernel.length; d++) kernel[d] = (kernel[d] as number) / total;
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] as number;
    if (c === 0) continue;
    for (let d = -reach; d <= reach; d++) {
      const j = i + d;
      if (j >= 0 && j < out.length) out[j] = (out[j] as number) + c * (kernel[d + reach] as number);
    }
  }
  const seconds: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < out.length; i++) {
    seconds.push(t0 + i);
    values.push(Math.round((out[i] as number) * 1000) / 1000);
  }
  return series(seconds, values);
}

/** The reference with some series replaced (or removed, with `undefined`). */
export function withSeries(data: SyntheticData, replace: Record<string, SyntheticSeries | undefined>): SyntheticData {
  const out: Record<string, SyntheticSeries> = {};
  for (const [type, s] of Object.entries(data.series)) if (!(type in replace)) out[type] = s;
  for (const [type, s] of Object.entries(replace)) if (s) out[type] = s;
  return { ...data, series: out };
}

/**
 * A few watch-off gaps of 5-20 min in each day's waking hours (08:00-22:00 UTC), drawn from `seed`: `perDay` of them.
 */
export function dayGaps(data: SyntheticData, perDay: number, seed: number): Array<{ from: number; to: number }> {
  const random = rng(seed);
  const gaps: Array<{ from: number; to: number }> = [];
  for (const truth of data.truth) {
    const midnight = Date.parse(`${truth.day}T00:00:00Z`) / 1000;
    for (let k = 0; k < perDay; k++) {
      const from = midnight + 8 * 3600 + Math.floor(random() * 14 * 3600);
      const minutes = 5 + Math.floor(random() * 16);
      gaps.push({ from, to: from + minutes * 60 });
    }
  }
  return gaps.sort((a, b) => a.from - b.from);
}

export interface DayResults {
  truth: SyntheticTruthDay;
  table: EpochTable;
  resting: StatisticResult;
  intense: StatisticResult;
  stress: ReturnType<typeof stress>;
}

/**
 * The day statistics of the last `checked` days, as the engine chains them (the day's resting heart rate feeds
 * intense activity; 14 days of history the stress limit), but with the true night as the sleep period: these
 * tests are about the day statistics, not about finding the night.
 */
export function dayStatistics(data: SyntheticData, checked = CHECKED): DayResults[] {
  const source = syntheticSource(data);
  const tables = data.truth.map((t) => {
    const from = Date.parse(`${t.day}T00:00:00Z`) / 1000;
    return source.table(from, from + 86_400);
  });
  const out: DayResults[] = [];
  for (let d = data.truth.length - checked; d < data.truth.length; d++) {
    const truth = data.truth[d] as SyntheticTruthDay;
    const table = tables[d] as EpochTable;
    const night = truth.night;
    const sleep = night ? { from: night.inBedStart, to: night.inBedEnd } : null;
    const resting = daytimeRestingHeartRate(table, sleep);
    const bpm = resting.enoughData ? resting.data.bpm : null;
    const intense = intenseActivity(table, {
      age: data.person.age,
      restingHeartRate: typeof bpm === "number" ? bpm : null,
    });
    const limit = homeostasisLimit(null, tables.slice(Math.max(0, d - 13), d + 1));
    out.push({ truth, table, resting, intense, stress: stress(table, limit, sleep) });
  }
  return out;
}

export const episodesOf = (r: DayResults) =>
  (r.stress.STRESS_FREQUENCY.data.episodes ?? []) as Array<Omit<StressEpisode, "start" | "end"> & { start: string }>;

/** What the checks allow; every bound is argued where the tests use it (robust-inputs.test.ts). */
export interface Tolerances {
  restingBpm: number;
  limitBpm: number;
  /** The reference is evaluated with its limit moved this far either way: the range of answers it allows. */
  limitShift: number;
  minutesPerEpisode: number;
  countSlack: number;
  startMinutes: number;
  /** An episode whose peak is this far above the limit is beyond the reading noise: it must be found. */
  clearMargin: number;
  recoveryMinutes: number;
  restFraction: number;
  intenseFraction: number;
  intenseMinutes: number;
}

type Episode = ReturnType<typeof episodesOf>[number] & { end: string };
const unix = (iso: string): number => Date.parse(iso) / 1000;

/**
 * The ways `got` differs from `want` beyond the tolerances, one sentence each with the figures (empty when none).
 * `gaps` are the watch-off periods of `got`: what lies in them cannot be seen, so it may be missing.
 */
export function differences(
  want: DayResults,
  got: DayResults,
  t: Tolerances,
  gaps: Array<{ from: number; to: number }> = [],
): string[] {
  const out: string[] = [];
  const day = want.truth.day;
  const say = (s: string) => out.push(`${day}: ${s}`);
  const pairs: Array<[string, StatisticResult, StatisticResult]> = [
    ["DAYTIME_RESTING_HEART_RATE", want.resting, got.resting],
    ["INTENSE_ACTIVITY", want.intense, got.intense],
    ["STRESS_DURATION", want.stress.STRESS_DURATION, got.stress.STRESS_DURATION],
    ["STRESS_FREQUENCY", want.stress.STRESS_FREQUENCY, got.stress.STRESS_FREQUENCY],
    ["STRESS_RECOVERY", want.stress.STRESS_RECOVERY, got.stress.STRESS_RECOVERY],
  ];
  for (const [type, a, b] of pairs) {
    if (a.enoughData && !b.enoughData) say(`${type} not enough data: ${b.metadata.reason}`);
  }
  if (want.resting.enoughData && got.resting.enoughData) {
    const a = want.resting.data.bpm as number;
    const b = got.resting.data.bpm as number;
    if (Math.abs(a - b) > t.restingBpm) say(`resting heart rate ${b} bpm, reference ${a}`);
  }
  if (want.intense.enoughData && got.intense.enoughData) {
    for (const key of ["minutes", "moderateMinutes"]) {
      const a = want.intense.data[key] as number;
      const b = got.intense.data[key] as number;
      if (Math.abs(a - b) > t.intenseFraction * a + t.intenseMinutes) say(`intense ${key} ${b}, reference ${a}`);
    }
  }
  if (!want.stress.STRESS_DURATION.enoughData || !got.stress.STRESS_DURATION.enoughData) return out;

  const limit = want.stress.STRESS_DURATION.data.upperLimit as number;
  const gotLimit = got.stress.STRESS_DURATION.data.upperLimit as number;
  if (Math.abs(gotLimit - limit) > t.limitBpm) say(`upper limit ${gotLimit} bpm, reference ${limit}`);
  const night = want.truth.night;
  const sleep = night ? { from: night.inBedStart, to: night.inBedEnd } : null;
  const at = (upperLimit: number) =>
    stress(want.table, { limit: { upperLimit, source: "personal_baseline", baselineDays: 0, baseline: null } }, sleep);
  const strict = at(limit + t.limitShift);
  const lenient = at(limit - t.limitShift);
  const wantEpisodes = episodesOf(want) as Episode[];
  const gotEpisodes = episodesOf(got) as Episode[];
  const overlaps = (e: { start: string; end: string }, from: number, to: number) =>
    unix(e.start) < to && unix(e.end) > from;
  // Reference episodes a gap hides (wholly or partly, or a minute either side, where its edge is decided).
  const hidden = wantEpisodes.filter((e) => gaps.some((g) => overlaps(e, g.from - 60, g.to + 60)));
  const hiddenMinutes = hidden.reduce((sum, e) => sum + e.minutes, 0);
  const n = wantEpisodes.length;

  // Rest time: movement smoothed or summed over a minute moves the edges of each bout a little.
  const rest = got.stress.STRESS_DURATION.data.restMinutes as number;
  const wantRest = want.stress.STRESS_DURATION.data.restMinutes as number;
  const gapMinutes = gaps
    .filter((g) => g.to > want.table.start && g.from < want.table.start + want.table.length * 30)
    .reduce((sum, g) => sum + (g.to - g.from) / 60, 0);
  if (rest < wantRest * (1 - t.restFraction) - gapMinutes || rest > wantRest * (1 + t.restFraction)) {
    say(`rest ${rest} min, reference ${wantRest}`);
  }
  const minutes = got.stress.STRESS_DURATION.data.minutes as number;
  const low = (strict.STRESS_DURATION.data.minutes as number) - t.minutesPerEpisode * n - hiddenMinutes;
  const high = (lenient.STRESS_DURATION.data.minutes as number) + t.minutesPerEpisode * n;
  if (minutes < low || minutes > high) {
    say(`stress ${minutes} min, reference ${want.stress.STRESS_DURATION.data.minutes} (allowed ${low}..${high})`);
  }
  const count = got.stress.STRESS_FREQUENCY.data.count as number;
  const fewest = (strict.STRESS_FREQUENCY.data.count as number) - t.countSlack - hidden.length;
  const most = (lenient.STRESS_FREQUENCY.data.count as number) + t.countSlack + hidden.length;
  if (count < fewest || count > most) say(`${count} stress episodes, reference ${n} (allowed ${fewest}..${most})`);

  // Episodes clearly above the limit are found where the reference has them, and none is invented.
  for (const e of wantEpisodes) {
    if (e.peakBpm < limit + t.clearMargin || hidden.includes(e)) continue;
    const match = gotEpisodes.find((g) => overlaps(g, unix(e.start), unix(e.end)));
    if (!match) {
      say(`episode at ${e.start} (peak ${e.peakBpm}, ${e.minutes} min) not found`);
      continue;
    }
    // Where heart rate crosses the limit, the reference with its limit moved answers too.
    const alike = [
      e,
      ...[strict, lenient].flatMap((s) => (s.STRESS_FREQUENCY.data.episodes ?? []) as Episode[]),
    ].filter((x) => x === e || overlaps(x, unix(e.start), unix(e.end)));
    const shift = Math.min(...alike.map((x) => Math.abs(unix(match.start) - unix(x.start)) / 60));
    if (shift > t.startMinutes) say(`episode at ${e.start} found starting at ${match.start}`);
    const b = match.recoveryMinutes;
    const recoveries = alike.map((x) => x.recoveryMinutes).filter((m): m is number => m !== null);
    if (b === null ? recoveries.length === alike.length : recoveries.length === 0) {
      say(`episode at ${e.start}: recovery ${b} min, reference ${e.recoveryMinutes}`);
    } else if (b !== null) {
      const lo = Math.min(...recoveries) - t.recoveryMinutes;
      const hi = Math.max(...recoveries) + t.recoveryMinutes;
      if (b < lo || b > hi)
        say(`episode at ${e.start}: recovery ${b} min, reference ${e.recoveryMinutes} (${lo}..${hi})`);
    }
  }
  for (const g of gotEpisodes) {
    if (g.peakBpm < gotLimit + t.clearMargin) continue;
    if (!wantEpisodes.some((e) => overlaps(e, unix(g.start), unix(g.end)))) {
      say(`episode at ${g.start} (peak ${g.peakBpm}, ${g.minutes} min) not in the reference`);
    }
  }
  return out;
}
