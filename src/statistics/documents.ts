import { dayStart } from "../lib/time";
import type { DayStatistic, StatisticsQuery } from "../user-store/statistics-store";
import { STATISTIC_VERSIONS } from "./engine";
import { addDays, daysBetween, isTimeZone, localMidnight } from "./local-days";
import { groupByPeriod, summarize } from "./periods";
import type { StatisticType, TimeSpan } from "./types";

/**
 * From the owner's profile and a day range to the store's statistics query, and from its per-day results to the
 * documents of GET /v1/statistics (contract §8; docs/statistics.md). Shared by the route and the exports.
 */

/** One statistics document (the route's StatisticSchema). */
export interface StatisticDocument {
  date: string;
  data: Record<string, unknown>;
  type: StatisticType;
  created: string;
  lastUpdated: string;
  timeFilter: string[];
  timeSpan: TimeSpan;
  enoughData: boolean;
  version: string;
  metadata: Record<string, unknown>;
}

/** What statistics need of the owner (src/db/users.ts `findStatisticsProfile`). */
export interface StatisticsProfile {
  dateOfBirth: string | null;
  settings: string | null;
}

/** The owner's settings object, or {} when it is missing or not an object. */
export function parseSettings(text: string | null): Record<string, unknown> {
  if (text === null) return {};
  const value: unknown = JSON.parse(text);
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Whole years from a date of birth to `today` (YYYY-MM-DD); null when unknown. */
export function ageOn(dateOfBirth: string | null, today: string): number | null {
  if (dateOfBirth === null) return null;
  const birth = dateOfBirth.slice(0, 10);
  let age = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  if (today.slice(5) < birth.slice(5)) age -= 1;
  return age >= 0 && age < 150 ? age : null;
}

export interface StatisticsRequest {
  types: StatisticType[];
  startDay: string;
  endDay: string;
  /** An explicit zone; default the owner's `settings.time_zone`, else UTC. */
  timeZone?: string;
  /** Unix seconds before which no sample may be read (sinceSeconds of the grant); 0 for one's own data. */
  cutFrom: number;
}

/**
 * The store query: the local days that have begun and that end after the share's start (nothing is computed for
 * the rest), in the requested zone, else the owner's, else UTC.
 */
export function statisticsQuery(
  profile: StatisticsProfile,
  request: StatisticsRequest,
  nowMs: number,
): StatisticsQuery {
  const settings = parseSettings(profile.settings);
  const stored = settings.time_zone;
  const zone = request.timeZone ?? (typeof stored === "string" && isTimeZone(stored) ? stored : "UTC");
  const now = nowMs / 1000;
  const days = daysBetween(request.startDay, request.endDay).filter(
    (day) => localMidnight(day, zone) <= now && localMidnight(addDays(day, 1), zone) > request.cutFrom,
  );
  const today = new Date(nowMs).toISOString().slice(0, 10);
  return {
    types: request.types,
    days,
    timeZone: zone,
    cutFrom: request.cutFrom,
    person: { age: ageOn(profile.dateOfBirth, today), calibration: settings.reactivity_calibration ?? null },
  };
}

/** One document per (period, type) with data, ordered by period, then by the requested type order. */
export function statisticDocuments(
  results: DayStatistic[],
  query: StatisticsQuery,
  span: TimeSpan,
): StatisticDocument[] {
  const { types, timeZone: zone, days } = query;
  const byKey = new Map(results.map((r) => [`${r.type}|${r.day}`, r]));
  const out: StatisticDocument[] = [];
  for (const [period, periodDays] of groupByPeriod(days, span)) {
    const localStart = new Date(localMidnight(periodDays[0] as string, zone) * 1000).toISOString();
    for (const type of types) {
      const values = periodDays.map((day) => byKey.get(`${type}|${day}`)).filter((v) => v !== undefined);
      if (values.length === 0) continue;
      const base = { type, timeSpan: span, timeFilter: periodDays, version: STATISTIC_VERSIONS[type] };
      if (span === "DAY") {
        const [v] = values as [DayStatistic];
        out.push({
          ...base,
          date: dayStart(v.day),
          data: v.result.data,
          created: v.created,
          lastUpdated: v.lastUpdated,
          enoughData: v.result.enoughData,
          metadata: { ...v.result.metadata, timeZone: zone, localStart },
        });
        continue;
      }
      const summary = summarize(type, values);
      out.push({
        ...base,
        date: dayStart(periodDays[0] as string),
        data: summary.data,
        created: values.map((v) => v.created).sort()[0] as string,
        lastUpdated: values
          .map((v) => v.lastUpdated)
          .sort()
          .at(-1) as string,
        enoughData: summary.enoughData,
        metadata: { ...summary.metadata, timeZone: zone, localStart, periodStart: period },
      });
    }
  }
  return out;
}
