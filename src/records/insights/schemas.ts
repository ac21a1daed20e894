import { z } from "@hono/zod-openapi";

/** Size bounds of POST /v2/insight's body (the contract gives none; these keep one request's work small). */
export const INSIGHT_REQUEST_LIMITS = {
  /** Items in any array (triggers, previous ids). */
  listItems: 1000,
  /** Characters in any string or object key. */
  stringLength: 200,
  /** Keys in `today_metrics`. */
  metricKeys: 200,
  /** Keys (days) in `past_daily_metrics` and `past_triggers`: more than two years. */
  dayKeys: 1000,
} as const;

const L = INSIGHT_REQUEST_LIMITS;

const BoundedString = z.string().max(L.stringLength, `must be at most ${L.stringLength} characters`);
const BoundedList = z.array(BoundedString).max(L.listItems, `must have at most ${L.listItems} items`);

function boundedRecord(maxKeys: number) {
  return z
    .record(BoundedString, z.unknown())
    .refine((value) => Object.keys(value).length <= maxKeys, `must have at most ${maxKeys} keys`);
}

/**
 * `time_format`: the contract types it as a bare string and lists no values (§5), and clients are known to send
 * other things there (e.g. a clock format such as `24h` or `HH:mm`). So no string is refused: `week` in any casing
 * (surrounding whitespace ignored) asks for the week's reflection, anything else for the day's (docs/records.md).
 */
export const TimeFormatSchema = z.string({ error: "time_format must be a string" }).openapi({
  description:
    'Which reflection to create: "week" (any casing) for the week\'s; any other string, e.g. "day", for the day\'s',
  example: "day",
});

/** POST /v2/insight body (contract §5): every field required, snake_case as the contract spells it. */
export const InsightRequestSchema = z
  .object({
    time_format: TimeFormatSchema,
    today_triggers: BoundedList.openapi({
      description: "Lifestyle triggers reported today, e.g. CAFFEINE, ALCOHOL, LATE_MEAL (case-insensitive)",
      example: ["CAFFEINE", "WORK_STRESS"],
    }),
    today_metrics: boundedRecord(L.metricKeys).openapi({
      description:
        "Today's (or, for a week, the week's average) metrics by name; numbers only are read. Units: sleep_duration, stress_duration, stress_recovery, intense_activity in minutes; sleep_hrv in ms; resting_heart_rate in bpm; respiration_rate in breaths/min; temperature_deviation in °C",
      example: { sleep_duration: 372, sleep_hrv: 41, resting_heart_rate: 61, stress_duration: 95 },
    }),
    past_daily_metrics: boundedRecord(L.dayKeys).openapi({
      description: "Earlier days' metrics keyed by YYYY-MM-DD; the personal baseline is their mean (last 28 days)",
      example: { "2024-03-18": { sleep_duration: 431, sleep_hrv: 47 }, "2024-03-19": { sleep_duration: 405 } },
    }),
    past_triggers: boundedRecord(L.dayKeys).openapi({
      description: "Earlier days' triggers keyed by YYYY-MM-DD",
      example: { "2024-03-18": ["CAFFEINE"], "2024-03-19": [] },
    }),
    previous_research_insight_ids: BoundedList.openapi({
      description: "Research insights already shown to the user: none of these is returned again",
      example: ["ri_sleep_duration_01"],
    }),
  })
  .openapi("InsightRequest");

export type InsightRequest = z.infer<typeof InsightRequestSchema>;

export const ResearchInsightSchema = z
  .object({
    id: z.string().openapi({ description: "Stable catalogue id", example: "ri_sleep_regularity_01" }),
    title: z.string().openapi({ example: "Regular timing" }),
    text: z
      .string()
      .openapi({ example: "Going to bed and waking at similar times helps keep the body clock aligned." }),
  })
  .openapi("ResearchInsight");

/** The reflection POST /v2/insight creates (the contract leaves the response open; camelCase as its responses). */
export const InsightResponseSchema = z
  .object({
    id: z.uuid().openapi({ description: "Id of this reflection", example: "5f0c1d52-8a4e-4a4e-9a57-2f7f1f0b6a11" }),
    date: z.iso.date().openapi({ description: "The day the reflection was created for (UTC)", example: "2024-03-20" }),
    timeFormat: z.enum(["day", "week"]).openapi({ description: "Normalized time_format", example: "day" }),
    researchInsight: ResearchInsightSchema,
    reasons: z.array(z.string()).openapi({
      description: "Why this insight was chosen, in plain words (empty reasons never occur: a general insight says so)",
      example: ["sleep_duration 372 min is 41 min below your 28-day average of 413 min"],
    }),
    created: z.iso.datetime().openapi({ example: "2024-03-20T18:02:11.000Z" }),
  })
  .openapi("Insight");

export type InsightResponse = z.infer<typeof InsightResponseSchema>;
