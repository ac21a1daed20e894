import type { InsightRequest } from "../../src/records/insights/schemas";
import type { Comparison, Condition, InsightEntry } from "../../src/records/insights/types";
import { type MetricName, metricSpec, type TriggerName } from "../../src/records/insights/vocabulary";

/** Eight past days, oldest first: enough for every baseline (≥ 3) and an even count for symmetric spreads. */
export const PAST_DAYS = Array.from({ length: 8 }, (_, i) => `2024-03-0${i + 1}`);

export function emptyInput(overrides: Partial<InsightRequest> = {}): InsightRequest {
  return {
    time_format: "day",
    today_triggers: [],
    today_metrics: {},
    past_daily_metrics: {},
    past_triggers: {},
    previous_research_insight_ids: [],
    ...overrides,
  };
}

/** Past days where every listed metric has the given value on every day. */
export function flatPast(values: Partial<Record<MetricName, number>>): Record<string, unknown> {
  return Object.fromEntries(PAST_DAYS.map((day) => [day, { ...values }]));
}

interface Bounds {
  lo?: number;
  hi?: number;
}

/** What a condition tree asks of the input, gathered leaf by leaf (`any` takes its first branch). */
interface Plan {
  bounds: Map<MetricName, Bounds>;
  trends: Map<MetricName, { up: boolean; delta: number }>;
  spreads: Map<MetricName, { op: Comparison; value: number }>;
  triggers: Set<TriggerName>;
  pastTriggers: Map<TriggerName, number>;
}

function gather(condition: Condition, plan: Plan): void {
  if ("all" in condition) for (const child of condition.all) gather(child, plan);
  else if ("any" in condition) {
    const first = condition.any[0];
    if (first) gather(first, plan);
  } else if ("has" in condition) plan.bounds.set(condition.has, plan.bounds.get(condition.has) ?? {});
  else if ("metric" in condition) {
    const b = plan.bounds.get(condition.metric) ?? {};
    if (condition.op === "gt" || condition.op === "gte") b.lo = Math.max(b.lo ?? -Infinity, condition.value);
    else b.hi = Math.min(b.hi ?? Infinity, condition.value);
    plan.bounds.set(condition.metric, b);
  } else if ("trend" in condition) {
    const delta = condition.minDelta ?? metricSpec(condition.trend).trendDelta;
    plan.trends.set(condition.trend, { up: condition.direction === "up", delta });
  } else if ("variability" in condition) plan.spreads.set(condition.variability, condition);
  else if ("trigger" in condition) plan.triggers.add(condition.trigger);
  else plan.pastTriggers.set(condition.pastTrigger, condition.minDays ?? 1);
}

/** A value clearly inside the bounds: the middle of a range, or a step (≤ one trend delta) past a single bound. */
function todayValue(metric: MetricName, b: Bounds | undefined): number {
  const { trendDelta, typical } = metricSpec(metric);
  const step = (bound: number) => Math.min(trendDelta, Math.abs(bound) / 2 || trendDelta);
  if (b?.lo !== undefined && b.hi !== undefined) return (b.lo + b.hi) / 2;
  if (b?.lo !== undefined) return b.lo + step(b.lo);
  if (b?.hi !== undefined) return b.hi - step(b.hi);
  return typical;
}

/** A request that satisfies the entry's conditions (and asks for the entry's period). */
export function inputSatisfying(entry: InsightEntry): InsightRequest {
  const plan: Plan = {
    bounds: new Map(),
    trends: new Map(),
    spreads: new Map(),
    triggers: new Set(),
    pastTriggers: new Map(),
  };
  if (entry.conditions) gather(entry.conditions, plan);

  const metrics = new Set<MetricName>([...plan.bounds.keys(), ...plan.trends.keys(), ...plan.spreads.keys()]);
  const today: Record<string, number> = {};
  const past = PAST_DAYS.map((): Record<string, number> => ({}));
  for (const metric of metrics) {
    const value = todayValue(metric, plan.bounds.get(metric));
    today[metric] = value;
    const trend = plan.trends.get(metric);
    const base = trend ? value + (trend.up ? -2 : 2) * trend.delta : value;
    const spread = plan.spreads.get(metric);
    const swing = spread && (spread.op === "gt" || spread.op === "gte") ? 2 * spread.value + 1 : 0;
    past.forEach((day, i) => {
      day[metric] = base + (i % 2 === 0 ? swing : -swing);
    });
  }
  const pastTriggers = PAST_DAYS.map((_, i): string[] =>
    [...plan.pastTriggers].filter(([, days]) => i >= PAST_DAYS.length - days).map(([trigger]) => trigger),
  );

  return emptyInput({
    time_format: entry.period === "week" ? "week" : "day",
    today_triggers: [...plan.triggers],
    today_metrics: today,
    past_daily_metrics: Object.fromEntries(PAST_DAYS.map((day, i) => [day, past[i]])),
    past_triggers: Object.fromEntries(PAST_DAYS.map((day, i) => [day, pastTriggers[i]])),
  });
}
