// The local demo account's data (demo@nowatch.local, filled by `npm run dev` through the real API): a week of the
// synthetic person from src/statistics/synthetic.ts (docs/statistics.md), every measurement type at
// 1 Hz plus the evening runs as activity sessions. Node 24 imports the TypeScript file directly (type stripping).
import { syntheticDays, toCsv } from "../src/statistics/synthetic.ts";

/** Fixed, so every developer's demo account shows the same person (shifted to the current week). */
export const DEMO_SEED = 20_250_809;

/** `days` UTC days from `firstDay` (YYYY-MM-DD): `{ series, sessions, truth }` as `syntheticDays` returns them. */
export function demoData(firstDay, days) {
  return syntheticDays({ startDay: firstDay, days, seed: DEMO_SEED });
}

/** The upload CSV of one type (header, then `datetime,value[,quality_indicator]` rows). */
export function demoCsv(data, type) {
  const series = data.series[type];
  if (!series) throw new Error(`the demo data has no ${type}`);
  return toCsv(type, series);
}

/** The demo sessions as POST /v1/activity takes them (snake_case request fields). */
export function demoActivities(data) {
  return data.sessions.map((s) => ({
    start_datetime: s.startDatetime,
    end_datetime: s.endDatetime,
    type: s.type,
    info: s.info,
  }));
}
