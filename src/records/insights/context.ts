import type { InsightRequest } from "./schemas";
import type { RequestPeriod } from "./types";
import { type MetricName, normalizeMetricName, normalizeTrigger, type TriggerName } from "./vocabulary";

/** Only the most recent days count towards baselines and past triggers: older habits say little about today. */
export const BASELINE_WINDOW_DAYS = 28;
/** A trend or a variability needs at least this many values; fewer would make noise look like a pattern. */
export const MIN_BASELINE_DAYS = 3;

/** Everything the conditions read, extracted once from a request: normalized names, numbers only. */
export interface InsightContext {
  readonly period: RequestPeriod;
  readonly today: ReadonlyMap<MetricName, number>;
  /** Past values per metric, newest day first, within the baseline window. */
  readonly past: ReadonlyMap<MetricName, readonly number[]>;
  readonly todayTriggers: ReadonlySet<TriggerName>;
  /** Number of past days (within the window) on which each trigger was reported. */
  readonly pastTriggerDays: ReadonlyMap<TriggerName, number>;
  /** How many past days of triggers were read (the denominator of `pastTriggerDays`). */
  readonly pastTriggerWindow: number;
  /** The newest day key of `past_daily_metrics` / `past_triggers`, part of the tie-break seed. */
  readonly latestPastDay: string | undefined;
}

/** `time_format` → period: `week` in any casing is the week; any other string the day (docs/records.md). */
export function normalizePeriod(timeFormat: string): RequestPeriod {
  return timeFormat.trim().toLowerCase() === "week" ? "week" : "day";
}

export function buildContext(input: InsightRequest): InsightContext {
  const metricDays = recentDays(input.past_daily_metrics);
  const triggerDays = recentDays(input.past_triggers);

  const past = new Map<MetricName, number[]>();
  for (const [, day] of metricDays) {
    for (const [name, value] of readMetrics(day)) {
      const list = past.get(name) ?? [];
      list.push(value);
      past.set(name, list);
    }
  }

  const pastTriggerDays = new Map<TriggerName, number>();
  for (const [, day] of triggerDays) {
    for (const trigger of readTriggers(day)) pastTriggerDays.set(trigger, (pastTriggerDays.get(trigger) ?? 0) + 1);
  }

  const latest = [metricDays[0]?.[0], triggerDays[0]?.[0]].filter((d): d is string => d !== undefined).sort();
  return {
    period: normalizePeriod(input.time_format),
    today: readMetrics(input.today_metrics),
    past,
    todayTriggers: readTriggers(input.today_triggers),
    pastTriggerDays,
    pastTriggerWindow: triggerDays.length,
    latestPastDay: latest.at(-1),
  };
}

/** The newest `BASELINE_WINDOW_DAYS` entries of a day-keyed object. `YYYY-MM-DD` keys sort chronologically. */
function recentDays(byDay: Record<string, unknown>): [string, unknown][] {
  return Object.entries(byDay)
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .slice(0, BASELINE_WINDOW_DAYS);
}

/** Known metrics with finite numeric values; keys in sorted order so that the first spelling of a duplicate wins. */
function readMetrics(value: unknown): Map<MetricName, number> {
  const metrics = new Map<MetricName, number>();
  if (!isPlainObject(value)) return metrics;
  for (const key of Object.keys(value).sort()) {
    const name = normalizeMetricName(key);
    const number = value[key];
    if (name && !metrics.has(name) && typeof number === "number" && Number.isFinite(number)) metrics.set(name, number);
  }
  return metrics;
}

/** Known triggers of a list; anything that is not a list of strings reads as no triggers. */
function readTriggers(value: unknown): Set<TriggerName> {
  const triggers = new Set<TriggerName>();
  if (!Array.isArray(value)) return triggers;
  for (const item of value) {
    const trigger = typeof item === "string" ? normalizeTrigger(item) : undefined;
    if (trigger) triggers.add(trigger);
  }
  return triggers;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
