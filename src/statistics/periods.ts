/**
 * Summaries over a week or a month: the days of the period that had enough data, averaged field by field.
 * Pure. Periods are calendar weeks (ISO, Monday first) and months, clipped to the requested range.
 */
import type { StatisticResult } from "./epochs";
import { monthStart, weekStart } from "./local-days";
import type { StatisticType, TimeSpan } from "./types";

/** Statistics whose daily values add up over a period: their summaries also carry `totals`. */
const ADDITIVE: ReadonlySet<StatisticType> = new Set(["STRESS_DURATION", "STRESS_FREQUENCY", "INTENSE_ACTIVITY"]);

export interface DayValue {
  day: string;
  result: StatisticResult;
}

/** The first day of the period holding `day`. */
export function periodOf(day: string, span: TimeSpan): string {
  return span === "WEEK" ? weekStart(day) : span === "MONTH" ? monthStart(day) : day;
}

/** Groups consecutive days by period: each group's key is the period's first calendar day. */
export function groupByPeriod(days: string[], span: TimeSpan): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const day of days) {
    const key = periodOf(day, span);
    const group = groups.get(key);
    if (group) group.push(day);
    else groups.set(key, [day]);
  }
  return groups;
}

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * One summary of a period. `data` holds, for each numeric field of the daily data, its mean over the days with
 * enough data (null when none), and `daysWithData`; additive statistics add `totals` (the sum of each numeric
 * field). Enough data: at least half of the period's days in range had enough data.
 */
export function summarize(type: StatisticType, values: DayValue[]): StatisticResult {
  const usable = values.filter((v) => v.result.enoughData);
  const keys = new Set<string>();
  for (const v of values) {
    for (const [key, value] of Object.entries(v.result.data))
      if (typeof value === "number" || value === null) keys.add(key);
  }
  const data: Record<string, unknown> = {};
  const totals: Record<string, number | null> = {};
  for (const key of keys) {
    const numbers = usable.map((v) => v.result.data[key]).filter((x): x is number => typeof x === "number");
    const sum = numbers.reduce((a, b) => a + b, 0);
    data[key] = numbers.length === 0 ? null : round(sum / numbers.length, 2);
    totals[key] = numbers.length === 0 ? null : round(sum, 2);
  }
  if (ADDITIVE.has(type)) data.totals = totals;
  data.daysWithData = usable.length;
  const enoughData = usable.length > 0 && usable.length * 2 >= values.length;
  const metadata: Record<string, unknown> = { daysInPeriod: values.length, daysWithData: usable.length };
  if (!enoughData) {
    metadata.reason = `${usable.length} of the period's ${values.length} days had enough data; a summary needs at least half`;
  }
  return { data, enoughData, metadata };
}
