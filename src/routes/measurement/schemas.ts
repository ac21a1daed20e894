import { z } from "@hono/zod-openapi";
import { MEASUREMENT_TYPES } from "../../measurements/types";

export const MeasurementTypeSchema = z.enum(MEASUREMENT_TYPES).openapi({ example: "HEART_RATE" });

export const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

const DaySchema = z.iso.date({ message: "must be a date in YYYY-MM-DD format" });

/** `start_day`/`end_day` (YYYY-MM-DD, inclusive, UTC days): start not after end, at most 366 days. */
export const DayRangeQuerySchema = z
  .object({
    type: MeasurementTypeSchema,
    start_day: DaySchema.openapi({ description: "First day, inclusive (UTC)", example: "2025-08-01" }),
    end_day: DaySchema.openapi({ description: "Last day, inclusive (UTC)", example: "2025-08-09" }),
  })
  .superRefine((q, ctx) => {
    const start = Date.parse(q.start_day);
    const end = Date.parse(q.end_day);
    if (start > end)
      ctx.addIssue({ code: "custom", path: ["start_day"], message: "start_day must not be after end_day" });
    else if ((end - start) / DAY_MS + 1 > MAX_RANGE_DAYS) {
      ctx.addIssue({
        code: "custom",
        path: ["end_day"],
        message: `the range must span at most ${MAX_RANGE_DAYS} days`,
      });
    }
  });

/** Unix seconds of the UTC midnight of a `YYYY-MM-DD` day. */
export const dayToEpoch = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 1000;

export const epochToIso = (seconds: number): string => new Date(seconds * 1000).toISOString();

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
    firstDatetime: z.string().nullable().openapi({ example: "2025-08-09T00:00:00.000Z" }),
    lastDatetime: z.string().nullable().openapi({ example: "2025-08-09T23:59:59.000Z" }),
  })
  .openapi("MeasurementUploadSummary");
