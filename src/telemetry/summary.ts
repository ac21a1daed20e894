import { allObjects, eachLine, hourPrefix } from "./lake";
import { SIGNALS, type Signal } from "./records";

/**
 * The hourly summary (docs/telemetry.md "Admin"): record counts per signal, error-level log records, the most
 * frequent span names and span duration percentiles, read from the lake's objects of one hour.
 *
 * Percentiles interpolate linearly between the two nearest ranks, as DuckDB's `quantile_cont` does, over the exact
 * durations up to EXACT_DURATIONS spans; past that, over a log-scale histogram (buckets 1/128 wide in log2, so within
 * 0.6 % of the exact value) whose memory does not grow with the hour.
 */

export type HourSummary = {
  day: string;
  hour: number;
  objects: number;
  records: Record<Signal, number>;
  /** Log records at severity ERROR or FATAL (severityNumber 17-24, or that severityText when the number is unset). */
  errorLogs: number;
  /** Distinct pseudonymous user keys across the hour's records. */
  users: number;
  topSpanNames: { name: string; count: number }[];
  spanDurationMs: { p50: number; p95: number } | null;
};

export const TOP_SPAN_NAMES = 10;
const EXACT_DURATIONS = 1_000_000;
const BUCKETS_PER_OCTAVE = 128;

/** Linear interpolation between closest ranks over sorted values (quantile_cont, R type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  return a + (b - a) * (position - lower);
}

/** Collects durations exactly, then as a log histogram once there are too many to hold. */
export class Durations {
  #exact: number[] = [];
  #histogram: Map<number, number> | null = null;
  #count = 0;

  add(ms: number): void {
    this.#count++;
    if (!this.#histogram) {
      this.#exact.push(ms);
      if (this.#exact.length > EXACT_DURATIONS) {
        this.#histogram = new Map();
        for (const value of this.#exact) this.#bucket(value);
        this.#exact = [];
      }
      return;
    }
    this.#bucket(ms);
  }

  #bucket(ms: number): void {
    const index = ms <= 0 ? Number.NEGATIVE_INFINITY : Math.round(Math.log2(ms) * BUCKETS_PER_OCTAVE);
    this.#histogram?.set(index, (this.#histogram.get(index) ?? 0) + 1);
  }

  percentiles(): { p50: number; p95: number } | null {
    if (this.#count === 0) return null;
    if (!this.#histogram) {
      const sorted = Float64Array.from(this.#exact).sort();
      return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
    }
    const buckets = [...this.#histogram.entries()].sort((a, b) => a[0] - b[0]);
    const at = (q: number) => {
      const rank = (this.#count - 1) * q;
      let seen = 0;
      for (const [index, n] of buckets) {
        seen += n;
        if (seen > rank) return index === Number.NEGATIVE_INFINITY ? 0 : 2 ** (index / BUCKETS_PER_OCTAVE);
      }
      return 0;
    };
    return { p50: at(0.5), p95: at(0.95) };
  }
}

const isErrorLog = (record: { severityNumber?: number; severityText?: string }): boolean => {
  const n = record.severityNumber ?? 0;
  if (n > 0) return n >= 17;
  return /^(error|fatal|critical|crit|emergency|alert)/i.test(record.severityText ?? "");
};

export async function summarizeHour(bucket: R2Bucket, day: string, hour: number): Promise<HourSummary> {
  const summary: HourSummary = {
    day,
    hour,
    objects: 0,
    records: { traces: 0, metrics: 0, logs: 0 },
    errorLogs: 0,
    users: 0,
    topSpanNames: [],
    spanDurationMs: null,
  };
  const names = new Map<string, number>();
  const users = new Set<string>();
  const durations = new Durations();
  for (const signal of SIGNALS) {
    for (const object of await allObjects(bucket, hourPrefix(signal, day, hour))) {
      summary.objects++;
      await eachLine(bucket, object.key, (line) => {
        const record = JSON.parse(line);
        summary.records[signal]++;
        users.add(record.userKey);
        if (signal === "logs" && isErrorLog(record)) summary.errorLogs++;
        if (signal === "traces") {
          names.set(record.name, (names.get(record.name) ?? 0) + 1);
          durations.add(record.durationMs);
        }
      });
    }
  }
  summary.users = users.size;
  summary.topSpanNames = [...names.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP_SPAN_NAMES)
    .map(([name, count]) => ({ name, count }));
  summary.spanDurationMs = durations.percentiles();
  return summary;
}
