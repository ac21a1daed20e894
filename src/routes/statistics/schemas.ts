import { z } from "@hono/zod-openapi";
import { dayRangeQuery, TimestampSchema } from "../../lib/schemas";
import { isTimeZone } from "../../statistics/local-days";
import { isStatisticType, STATISTIC_TYPES, type StatisticType, TIME_SPANS } from "../../statistics/types";

export const StatisticTypeSchema = z.enum(STATISTIC_TYPES).openapi("StatisticType", { example: "SLEEP_DURATION" });

/** `type=A&type=B`, `type=A,B` or a mix: one list, each name checked, duplicates dropped. */
const TypesSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value, ctx): StatisticType[] => {
    const names = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(",")).map((v) => v.trim());
    const unknown = names.filter((n) => !isStatisticType(n));
    if (names.length === 0 || names.every((n) => n === "")) {
      ctx.addIssue({ code: "custom", message: "type must name at least one statistic type" });
      return z.NEVER;
    }
    if (unknown.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `unknown statistic type ${unknown.map((u) => JSON.stringify(u.slice(0, 40))).join(", ")}; expected one of ${STATISTIC_TYPES.join(", ")}`,
      });
      return z.NEVER;
    }
    return [...new Set(names as StatisticType[])];
  })
  .openapi({
    type: "array",
    items: { type: "string", enum: [...STATISTIC_TYPES] },
    description: "Statistic types: repeated (`type=A&type=B`) or comma-separated (`type=A,B`)",
    example: ["SLEEP_DURATION", "STRESS_DURATION"],
  });

export const StatisticsQuerySchema = dayRangeQuery("local").safeExtend({
  type: TypesSchema,
  time_span: z
    .enum(TIME_SPANS)
    .optional()
    .openapi({ description: "One document per day (default), per ISO week or per calendar month", example: "DAY" }),
  time_zone: z
    .string()
    .max(64)
    .refine(isTimeZone, { message: "time_zone must be an IANA time zone such as Europe/Paris" })
    .optional()
    .openapi({
      description:
        "IANA zone of the local days. Default: the owner's `settings.time_zone`, else UTC (docs/statistics.md)",
      example: "Europe/Paris",
    }),
});

export const StatisticSchema = z
  .object({
    date: TimestampSchema.openapi({
      description: "The local day (or the first day of the week or month) as UTC midnight of that date",
      example: "2024-03-20T00:00:00.000Z",
    }),
    data: z.record(z.string(), z.unknown()).openapi({
      description: "The values; the keys of each type are in docs/statistics.md",
      example: { totalSleepMinutes: 431, sleepOnset: "2024-03-19T22:58:30.000Z", wakeTime: "2024-03-20T06:31:00.000Z" },
    }),
    type: StatisticTypeSchema,
    created: TimestampSchema.openapi({ description: "When this value was first computed" }),
    lastUpdated: TimestampSchema.openapi({ description: "When it was last recomputed (its data changed)" }),
    timeFilter: z.array(z.string()).openapi({
      description: "The local days (YYYY-MM-DD) this document summarizes",
      example: ["2024-03-20"],
    }),
    timeSpan: z.enum(TIME_SPANS).openapi({ example: "DAY" }),
    enoughData: z.boolean().openapi({ description: "False when coverage is below the type's threshold" }),
    version: z.string().openapi({ description: "Version of the algorithm", example: "1.0.0" }),
    metadata: z.record(z.string(), z.unknown()).openapi({
      description: "timeZone, the method and its inputs, and `reason` when enoughData is false",
      example: { timeZone: "Europe/Paris", method: "actigraphy+heart rate" },
    }),
  })
  .openapi("Statistic");

export type Statistic = z.infer<typeof StatisticSchema>;
