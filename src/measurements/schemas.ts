import { z } from "@hono/zod-openapi";
import { TimestampSchema } from "../lib/schemas";
import { MEASUREMENT_TYPES } from "./types";

/**
 * The wire shapes the measurement service shares with the routes: the type enum and the upload summary. The routes
 * use the schemas for validation and the document; the UserStore imports only the inferred types.
 */

export const MeasurementTypeSchema = z.enum(MEASUREMENT_TYPES).openapi({ example: "HEART_RATE" });

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

/** What an upload or batch stored: the 201 body of both routes, and what an idempotency key replays. */
export type UploadSummary = z.infer<typeof UploadSummarySchema>;
