import { z } from "@hono/zod-openapi";
import { DayRangeQuerySchema as DayRangeSchema, TimestampSchema } from "../../lib/schemas";
import { MEASUREMENT_TYPES } from "../../measurements/types";

export const MeasurementTypeSchema = z.enum(MEASUREMENT_TYPES).openapi({ example: "HEART_RATE" });

/** `type` plus `start_day`/`end_day` (YYYY-MM-DD, inclusive, UTC days, at most LIMITS.rangeDays). */
export const DayRangeQuerySchema = DayRangeSchema.safeExtend({ type: MeasurementTypeSchema });

/** Re-exported for the read routes (get.ts, series.ts); they live in src/lib/time.ts. */
export { dayToEpoch, epochToIso } from "../../lib/time";

export const UploadSummarySchema = z
  .object({
    type: MeasurementTypeSchema,
    rowsRead: z.number().int().openapi({ description: "Data rows in the file, duplicate seconds included" }),
    samplesAccepted: z.number().int().openapi({
      description: "Distinct samples stored (a second repeated in the file counts once: the last row wins)",
    }),
    samplesReplaced: z
      .number()
      .int()
      .openapi({ description: "Of those, samples that replaced an already stored sample at the same second" }),
    daysTouched: z.number().int().openapi({ description: "UTC days written" }),
    firstDatetime: TimestampSchema.nullable().openapi({ example: "2025-08-09T00:00:00.000Z" }),
    lastDatetime: TimestampSchema.nullable().openapi({ example: "2025-08-09T23:59:59.000Z" }),
  })
  .openapi("MeasurementUploadSummary");
