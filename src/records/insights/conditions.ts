import { BASELINE_WINDOW_DAYS, type InsightContext, MIN_BASELINE_DAYS } from "./context";
import type { Comparison, Condition } from "./types";
import { type MetricName, metricSpec } from "./vocabulary";

/**
 * How much each kind of satisfied fact adds to an entry's score. Comparisons with the user's own history (trend,
 * variability) are worth more than fixed thresholds: they are more personal and need more data to fire. Merely
 * having a metric is worth least: it says nothing about its value.
 */
export const LEAF_WEIGHTS = { has: 1, metric: 2, trend: 3, variability: 3, trigger: 2, pastTrigger: 2 } as const;

/**
 * A satisfied condition: the distinct facts it matched (key → weight), the plain-word reasons, and the metrics it
 * read. Facts are keyed by kind and subject, so two bounds on one metric (a range) count as one fact, not two.
 */
export interface Match {
  readonly facts: ReadonlyMap<string, number>;
  readonly reasons: readonly string[];
  readonly metrics: readonly MetricName[];
}

/** An entry's specificity: the sum of its distinct facts' weights. */
export function score(match: Match): number {
  let total = 0;
  for (const weight of match.facts.values()) total += weight;
  return total;
}

const OP_WORDS: Record<Comparison, string> = { lt: "below", lte: "at most", gt: "above", gte: "at least" };

/** Evaluates a condition tree; `null` when it is not satisfied. A metric the request lacks never satisfies a leaf. */
export function evaluate(condition: Condition, ctx: InsightContext): Match | null {
  if ("all" in condition) {
    const matches: Match[] = [];
    for (const child of condition.all) {
      const match = evaluate(child, ctx);
      if (!match) return null;
      matches.push(match);
    }
    return combine(matches);
  }
  if ("any" in condition) {
    let best: Match | null = null;
    for (const child of condition.any) {
      const match = evaluate(child, ctx);
      if (match && (!best || score(match) > score(best))) best = match;
    }
    return best;
  }
  if ("has" in condition) {
    if (!ctx.today.has(condition.has)) return null;
    return leaf(`has:${condition.has}`, LEAF_WEIGHTS.has, `your data includes ${condition.has}`, condition.has);
  }
  if ("metric" in condition) {
    const today = ctx.today.get(condition.metric);
    if (today === undefined || !compare(today, condition.op, condition.value)) return null;
    const unit = metricSpec(condition.metric).unit;
    const reason = `${condition.metric} ${fmt(today)} ${unit} is ${OP_WORDS[condition.op]} ${fmt(condition.value)} ${unit}`;
    return leaf(`metric:${condition.metric}`, LEAF_WEIGHTS.metric, reason, condition.metric);
  }
  if ("trend" in condition) {
    const { trend: name, direction } = condition;
    const today = ctx.today.get(name);
    const base = baseline(ctx, name);
    if (today === undefined || base === undefined) return null;
    const delta = today - base.mean;
    const minDelta = condition.minDelta ?? metricSpec(name).trendDelta;
    if (direction === "up" ? delta < minDelta : delta > -minDelta) return null;
    const unit = metricSpec(name).unit;
    const side = direction === "up" ? "above" : "below";
    const reason = `${name} ${fmt(today)} ${unit} is ${fmt(Math.abs(delta))} ${unit} ${side} your ${base.days}-day average of ${fmt(base.mean)} ${unit}`;
    return leaf(`trend:${name}`, LEAF_WEIGHTS.trend, reason, name);
  }
  if ("variability" in condition) {
    const name = condition.variability;
    const today = ctx.today.get(name);
    const values = [...(today === undefined ? [] : [today]), ...(ctx.past.get(name) ?? [])];
    if (values.length < MIN_BASELINE_DAYS) return null;
    const spread = standardDeviation(values);
    if (!compare(spread, condition.op, condition.value)) return null;
    const unit = metricSpec(name).unit;
    const reason = `${name} varied by ±${fmt(spread)} ${unit} over ${values.length} days (${OP_WORDS[condition.op]} ${fmt(condition.value)} ${unit})`;
    return leaf(`variability:${name}`, LEAF_WEIGHTS.variability, reason, name);
  }
  if ("trigger" in condition) {
    if (!ctx.todayTriggers.has(condition.trigger)) return null;
    const reason = `you reported ${condition.trigger} today`;
    return leaf(`trigger:${condition.trigger}`, LEAF_WEIGHTS.trigger, reason);
  }
  const days = ctx.pastTriggerDays.get(condition.pastTrigger) ?? 0;
  if (days < (condition.minDays ?? 1)) return null;
  const reason = `${condition.pastTrigger} reported on ${days} of the past ${ctx.pastTriggerWindow} days`;
  return leaf(`pastTrigger:${condition.pastTrigger}`, LEAF_WEIGHTS.pastTrigger, reason);
}

/** Mean of the metric over the past days of the window, when there are enough of them. */
export function baseline(ctx: InsightContext, name: MetricName): { mean: number; days: number } | undefined {
  const values = ctx.past.get(name)?.slice(0, BASELINE_WINDOW_DAYS) ?? [];
  if (values.length < MIN_BASELINE_DAYS) return undefined;
  return { mean: mean(values), days: values.length };
}

export function compare(actual: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case "lt":
      return actual < threshold;
    case "lte":
      return actual <= threshold;
    case "gt":
      return actual > threshold;
    case "gte":
      return actual >= threshold;
  }
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Population standard deviation: the spread of the days we have, not an estimate for unseen ones. */
export function standardDeviation(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
}

function leaf(fact: string, weight: number, reason: string, metric?: MetricName): Match {
  return { facts: new Map([[fact, weight]]), reasons: [reason], metrics: metric ? [metric] : [] };
}

function combine(matches: readonly Match[]): Match {
  const facts = new Map<string, number>();
  for (const match of matches) for (const [fact, weight] of match.facts) facts.set(fact, weight);
  return { facts, reasons: matches.flatMap((m) => m.reasons), metrics: matches.flatMap((m) => m.metrics) };
}

/** At most one decimal, no trailing zeros: 372, 41.5, 0.3. */
function fmt(value: number): string {
  return String(Math.round(value * 10) / 10);
}
