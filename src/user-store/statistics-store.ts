import { decodeChunk } from "../measurements/codec";
import type { DaySamples } from "../measurements/day-samples";
import { SECONDS_PER_DAY } from "../measurements/types";
import {
  DayComputation,
  dependencyWindow,
  type EpochSource,
  type PersonInputs,
  STATISTIC_VERSIONS,
} from "../statistics/engine";
import {
  buildEpochs,
  lowerBound,
  type SeriesInput,
  type SessionSpan,
  type EpochSource as SourceType,
  type StatisticResult,
} from "../statistics/epochs";
import type { StatisticType } from "../statistics/types";

/**
 * Statistics inside a UserStore: epoch tables built from the stored chunks, and results cached per (type, local
 * day, variant). A cached result is reused while nothing it read has changed: the highest data version of the UTC
 * days under its dependency window, and the workout sessions overlapping that window, are stored with it and
 * compared on every read. The variant names every other input (time zone, share cut, algorithm version, person).
 */

export interface StatisticsQuery {
  types: StatisticType[];
  /** Local days (`YYYY-MM-DD`) to report, ascending. */
  days: string[];
  timeZone: string;
  /** Unix seconds before which no sample may be read (a share's sharedSince); 0 for one's own data. */
  cutFrom: number;
  person: PersonInputs;
}

export interface DayStatistic {
  type: StatisticType;
  day: string;
  result: StatisticResult;
  created: string;
  lastUpdated: string;
}

/** FNV-1a, 32 bits, as hex: a short stable name for a variant's inputs. */
function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

interface WorkoutRow {
  start: number;
  end: number | null;
  type: number;
  lastUpdated: string;
}

const SOURCES: SourceType[] = [
  "HEART_RATE",
  "HEART_RATE_GRAPH",
  "HEART_BEAT",
  "RESTING_HEART_RATE",
  "ACTIVITY_COUNT",
  "ACTIVITY_CADENCE",
  "MOTION_GRAPH",
];
/** Decoded chunks kept per request: enough for the windows, which advance day by day. */
const DECODED_CHUNKS_KEPT = 24;
/** HEART_RATE_GRAPH fills in only for days whose HEART_RATE has fewer samples than one per 10 s. */
const GRAPH_FALLBACK_BELOW = SECONDS_PER_DAY / 10;

const toSeconds = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso) / 1000);

/** The stored samples of a user as epoch tables, each chunk decoded once while it is in use. */
class StoreEpochSource implements EpochSource {
  readonly #sql: SqlStorage;
  readonly #cutFrom: number;
  /** The workout sessions, cut at the share's start. */
  readonly #sessions: SessionSpan[] = [];
  readonly #counts = new Map<string, number>();
  readonly #decoded = new Map<string, DaySamples>();

  constructor(sql: SqlStorage, cutFrom: number, sessions: WorkoutRow[], firstDay: number, lastDay: number) {
    this.#sql = sql;
    this.#cutFrom = cutFrom;
    for (const s of sessions) {
      const start = Math.max(s.start, cutFrom);
      if (s.end === null || s.end > start) this.#sessions.push({ start, end: s.end, type: s.type });
    }
    const rows = sql.exec<{ type: string; day: number; count: number }>(
      "SELECT type, day, count FROM chunks WHERE day BETWEEN ? AND ?",
      firstDay,
      lastDay,
    );
    for (const row of rows) this.#counts.set(`${row.type}:${row.day}`, row.count);
  }

  #chunk(type: SourceType, day: number): DaySamples | null {
    const key = `${type}:${day}`;
    if (!this.#counts.has(key)) return null;
    let samples = this.#decoded.get(key);
    if (samples) {
      this.#decoded.delete(key);
    } else {
      const row = this.#sql
        .exec<{ data: ArrayBuffer }>("SELECT data FROM chunks WHERE type = ? AND day = ?", type, day)
        .toArray()[0];
      if (!row) return null;
      samples = decodeChunk(new Uint8Array(row.data));
      if (this.#decoded.size >= DECODED_CHUNKS_KEPT) this.#decoded.delete(this.#decoded.keys().next().value as string);
    }
    this.#decoded.set(key, samples);
    return samples;
  }

  #wanted(type: SourceType, day: number): boolean {
    const count = (t: string) => this.#counts.get(`${t}:${day}`) ?? 0;
    if (type === "HEART_RATE_GRAPH") return count("HEART_RATE") < GRAPH_FALLBACK_BELOW;
    if (type === "MOTION_GRAPH") return count("ACTIVITY_COUNT") === 0;
    return true;
  }

  #series(type: SourceType, from: number, to: number): SeriesInput | undefined {
    const start = Math.max(from, this.#cutFrom);
    if (to <= start) return undefined;
    const parts: { day: number; samples: DaySamples; a: number; b: number }[] = [];
    let total = 0;
    for (let day = Math.floor(start / SECONDS_PER_DAY) * SECONDS_PER_DAY; day < to; day += SECONDS_PER_DAY) {
      if (!this.#wanted(type, day)) continue;
      const samples = this.#chunk(type, day);
      if (!samples) continue;
      const a = lowerBound(samples.seconds, start - day);
      const b = lowerBound(samples.seconds, to - day);
      if (b > a) {
        parts.push({ day, samples, a, b });
        total += b - a;
      }
    }
    if (total === 0) return undefined;
    const seconds = new Float64Array(total);
    const values = new Float64Array(total);
    const quality = new Uint8Array(total);
    let k = 0;
    for (const { day, samples, a, b } of parts) {
      for (let i = a; i < b; i++) seconds[k + i - a] = day + (samples.seconds[i] as number);
      values.set(samples.values.subarray(a, b), k);
      quality.set(samples.quality.subarray(a, b), k);
      k += b - a;
    }
    return { seconds, values, quality };
  }

  table(from: number, to: number) {
    const series: Partial<Record<SourceType, SeriesInput>> = {};
    for (const type of SOURCES) {
      const s = this.#series(type, from, to);
      if (s) series[type] = s;
    }
    return buildEpochs({ start: from, end: to, series, sessions: this.#sessions });
  }
}

/** The highest data version and the workout sessions touching [from, to): what a cached result was computed from. */
function fingerprint(versions: { day: number; version: number }[], sessions: WorkoutRow[], from: number, to: number) {
  let version = 0;
  const firstDay = Math.floor(from / SECONDS_PER_DAY) * SECONDS_PER_DAY;
  for (const v of versions) if (v.day >= firstDay && v.day < to && v.version > version) version = v.version;
  let n = 0;
  let latest = "";
  for (const s of sessions) {
    if (s.start < to && (s.end === null || s.end > from)) {
      n++;
      if (s.lastUpdated > latest) latest = s.lastUpdated;
    }
  }
  return `${version}|${n}|${latest}`;
}

/**
 * The statistics of `query`, from the cache where it is still valid, computed (and cached) where not. Runs inside
 * the caller's transaction, so a result is never cached against data that changed under it.
 */
export function computeStatistics(sql: SqlStorage, query: StatisticsQuery, now: string): DayStatistic[] {
  if (query.days.length === 0 || query.types.length === 0) return [];
  const windows = query.types.flatMap((type) =>
    query.days.map((day) => ({ type, day, ...dependencyWindow(type, day, query.timeZone) })),
  );
  const from = Math.min(...windows.map((w) => w.from));
  const to = Math.max(...windows.map((w) => w.to));
  const firstDay = Math.floor(from / SECONDS_PER_DAY) * SECONDS_PER_DAY;
  const versions = sql
    .exec<{ day: number; version: number }>(
      "SELECT day, MAX(version) AS version FROM day_versions WHERE day BETWEEN ? AND ? GROUP BY day",
      firstDay,
      to,
    )
    .toArray();
  const sessions = sql
    .exec<{ type: number; start_datetime: string; end_datetime: string | null; last_updated: string }>(
      "SELECT type, start_datetime, end_datetime, last_updated FROM sessions WHERE type >= 1 AND start_datetime < ? AND (end_datetime IS NULL OR end_datetime > ?)",
      new Date(to * 1000).toISOString(),
      new Date(from * 1000).toISOString(),
    )
    .toArray()
    .map((s) => ({
      type: s.type,
      start: Date.parse(s.start_datetime) / 1000,
      end: toSeconds(s.end_datetime),
      lastUpdated: s.last_updated,
    }));

  const person = JSON.stringify(query.person);
  const variantOf = (type: StatisticType) =>
    fnv(`${STATISTIC_VERSIONS[type]}|${query.timeZone}|${query.cutFrom}|${person}`);
  const cached = new Map<string, { inputs: string; result: string; created: string; last_updated: string }>();
  for (const row of sql.exec<{
    type: string;
    day: string;
    variant: string;
    inputs: string;
    result: string;
    created: string;
    last_updated: string;
  }>(
    "SELECT type, day, variant, inputs, result, created, last_updated FROM statistics_cache WHERE day BETWEEN ? AND ?",
    query.days[0] as string,
    query.days[query.days.length - 1] as string,
  )) {
    cached.set(`${row.type}|${row.day}|${row.variant}`, row);
  }

  const out: DayStatistic[] = [];
  const misses = new Map<string, { type: StatisticType; inputs: string; variant: string; created: string | null }[]>();
  for (const w of windows) {
    const inputs = fingerprint(versions, sessions, w.from, w.to);
    const variant = variantOf(w.type);
    const hit = cached.get(`${w.type}|${w.day}|${variant}`);
    if (hit && hit.inputs === inputs) {
      out.push({
        type: w.type,
        day: w.day,
        result: JSON.parse(hit.result),
        created: hit.created,
        lastUpdated: hit.last_updated,
      });
      continue;
    }
    const list = misses.get(w.day) ?? [];
    list.push({ type: w.type, inputs, variant, created: hit?.created ?? null });
    misses.set(w.day, list);
  }
  if (misses.size > 0) {
    const source = new StoreEpochSource(sql, query.cutFrom, sessions, firstDay, to);
    const computation = new DayComputation(source, query.timeZone, query.person);
    for (const day of [...misses.keys()].sort()) {
      const list = misses.get(day) ?? [];
      const results = computation.compute(
        day,
        list.map((m) => m.type),
      );
      for (const m of list) {
        const result = results.get(m.type) as StatisticResult;
        const created = m.created ?? now;
        sql.exec(
          "INSERT INTO statistics_cache (type, day, variant, inputs, result, created, last_updated) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (type, day, variant) DO UPDATE SET inputs = excluded.inputs, result = excluded.result, last_updated = excluded.last_updated",
          m.type,
          day,
          m.variant,
          m.inputs,
          JSON.stringify(result),
          created,
          now,
        );
        out.push({ type: m.type, day, result, created, lastUpdated: now });
      }
    }
  }
  return out;
}

/** Cached results not recomputed since `before` go (they are computed again when next asked for). */
export function pruneStatisticsCache(sql: SqlStorage, before: string): void {
  sql.exec("DELETE FROM statistics_cache WHERE last_updated < ?", before);
}
