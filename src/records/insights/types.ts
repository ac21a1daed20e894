import { z } from "@hono/zod-openapi";
import { INSIGHT_METRICS, INSIGHT_TRIGGERS, type MetricName, type TriggerName } from "./vocabulary";

/** Which reflection an entry may appear in: the day's, the week's, or both (`time_format`, contract §5). */
export type InsightPeriod = "day" | "week" | "both";
export type RequestPeriod = Exclude<InsightPeriod, "both">;

export type Comparison = "lt" | "lte" | "gt" | "gte";

/**
 * The declarative condition language of the catalogue: data, never code, so entries can be listed, validated and
 * documented. Leaves read the request; `all` / `any` combine them. See docs/records.md for the exact semantics.
 */
export type Condition =
  /** The request carries today's value of the metric (for entries that explain a signal in general). */
  | { readonly has: MetricName }
  /** Today's value of a metric compared with a fixed threshold (in the metric's unit). */
  | { readonly metric: MetricName; readonly op: Comparison; readonly value: number }
  /** Today's value against the mean of past days: `up` when at least `minDelta` above it, `down` when below. */
  | { readonly trend: MetricName; readonly direction: "up" | "down"; readonly minDelta?: number }
  /** Standard deviation of recent days (past and today) compared with a threshold: how much a metric swings. */
  | { readonly variability: MetricName; readonly op: Comparison; readonly value: number }
  /** The trigger is in `today_triggers`. */
  | { readonly trigger: TriggerName }
  /** The trigger appears in `past_triggers` on at least `minDays` days (default 1). */
  | { readonly pastTrigger: TriggerName; readonly minDays?: number }
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] };

export interface InsightEntry {
  /** Stable forever: clients echo it back in `previous_research_insight_ids`. */
  readonly id: string;
  readonly title: string;
  /** Two to four sentences; careful wellness-research language, no medical claims. */
  readonly text: string;
  readonly period: InsightPeriod;
  /** Absent: a general entry, always eligible (the fallback). */
  readonly conditions?: Condition;
}

export const INSIGHT_ID_PATTERN = /^ri_[a-z0-9]+(?:_[a-z0-9]+)*_\d{2}$/;

const metricName = z.enum(
  INSIGHT_METRICS.map((m): MetricName => m.name),
  "unknown metric",
);
const triggerName = z.enum(
  INSIGHT_TRIGGERS.map((t): TriggerName => t.name),
  "unknown trigger",
);
const comparison = z.enum(["lt", "lte", "gt", "gte"]);

/** Runtime check of a condition tree (the catalogue test uses it; so would a catalogue loaded from elsewhere). */
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ has: metricName }),
    z.strictObject({ metric: metricName, op: comparison, value: z.number() }),
    z.strictObject({
      trend: metricName,
      direction: z.enum(["up", "down"]),
      minDelta: z.number().positive().optional(),
    }),
    z.strictObject({ variability: metricName, op: comparison, value: z.number().nonnegative() }),
    z.strictObject({ trigger: triggerName }),
    z.strictObject({ pastTrigger: triggerName, minDays: z.number().int().positive().optional() }),
    z.strictObject({ all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
  ]),
);

export const InsightEntrySchema = z.strictObject({
  id: z.string().regex(INSIGHT_ID_PATTERN),
  title: z.string().min(3).max(80),
  text: z.string().min(80).max(700),
  period: z.enum(["day", "week", "both"]),
  conditions: ConditionSchema.optional(),
});
