import { createRoute, z } from "@hono/zod-openapi";
import { getDb } from "../../db";
import { findStatisticsProfile } from "../../db/users";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbidden, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonResponse } from "../../lib/schemas";
import { dayStart } from "../../lib/time";
import { NO_ACCESS, sinceSeconds } from "../../sharing/policy";
import { authorizeRead, requireReader, SHARED_USER_PARAMETER } from "../../sharing/read-scope";
import { STATISTIC_VERSIONS } from "../../statistics/engine";
import { addDays, daysBetween, isTimeZone, localMidnight } from "../../statistics/local-days";
import { groupByPeriod, summarize } from "../../statistics/periods";
import type { StatisticType, TimeSpan } from "../../statistics/types";
import type { DayStatistic } from "../../user-store/statistics-store";
import { userStore } from "../../user-store/user-store";
import { type Statistic, StatisticSchema, StatisticsQuerySchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/statistics",
  operationId: "statisticscontroller_findallv1",
  tags: ["statistics"],
  summary: "Fetch statistics",
  description: `Statistics computed from the uploaded measurements (docs/statistics.md: each algorithm, its reference, the shape of \`data\`, what "enough data" means). One document per requested type and local day (or ISO week / calendar month with \`time_span\`), ordered by date, then by type as requested; at most ${LIMITS.rangeDays} days, and none after today. Local days are in \`time_zone\`, else the owner's \`settings.time_zone\`, else UTC; a night belongs to the local date on which it ends. With \`shared-user\`, reads another user's statistics through an accepted share that includes STATISTICS, computed only from data since the share's \`sharedSince\`; days wholly before it are left out.`,
  security: BEARER,
  middleware: [requireReader],
  parameters: [SHARED_USER_PARAMETER],
  request: { query: StatisticsQuerySchema },
  responses: {
    200: jsonResponse(z.array(StatisticSchema), "The statistics"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

/** The owner's settings object, or {} when it is missing or not an object. */
function parseSettings(text: string | null): Record<string, unknown> {
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

function documents(
  results: DayStatistic[],
  types: StatisticType[],
  span: TimeSpan,
  zone: string,
  days: string[],
): Statistic[] {
  const byKey = new Map(results.map((r) => [`${r.type}|${r.day}`, r]));
  const out: Statistic[] = [];
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

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const { grant, access } = authorizeRead(c, "STATISTICS", { start: query.start_day, end: query.end_day });
    const profile = await findStatisticsProfile(getDb(c.env.DB), grant.ownerId);
    if (!profile) throw forbidden(NO_ACCESS);
    const settings = parseSettings(profile.settings);
    const stored = settings.time_zone;
    const zone = query.time_zone ?? (typeof stored === "string" && isTimeZone(stored) ? stored : "UTC");

    const now = Date.now() / 1000;
    const cutFrom = sinceSeconds(grant);
    // Days that have begun and that end after the share's start: nothing is computed for the rest.
    const days = daysBetween(query.start_day, query.end_day).filter(
      (day) => localMidnight(day, zone) <= now && localMidnight(addDays(day, 1), zone) > cutFrom,
    );
    const today = new Date().toISOString().slice(0, 10);
    const results = await userStore(c.env, grant.ownerId).statistics(
      {
        types: query.type,
        days,
        timeZone: zone,
        cutFrom,
        person: { age: ageOn(profile.dateOfBirth, today), calibration: settings.reactivity_calibration ?? null },
      },
      access,
    );
    return c.json(documents(results, query.type, query.time_span ?? "DAY", zone, days), 200);
  });
}
