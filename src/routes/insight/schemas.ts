import { z } from "@hono/zod-openapi";
import { LIMITS } from "../../lib/limits";
import { DateOrDateTimeSchema, TimestampSchema, textSchema } from "../../lib/schemas";
import { InsightResponseSchema } from "../../records/insights/schemas";

/** Schemas of the insight tag (contract §5) beyond the records module's request and reflection. */

/** Every string of an insight feedback element is a one-line label, stored as sent. */
const Text = textSchema({ max: LIMITS.insightFeedbackText });

/** The contract's `InsightFeedbackOptionsV2Dto`: one section's thumbs up or down, with the options ticked. */
export const FeedbackSectionSchema = z
  .object({
    section: Text.openapi({ description: "Which part of the reflection is rated", example: "research_insight" }),
    options: z
      .array(Text)
      .max(LIMITS.insightFeedbackOptions, `must have at most ${LIMITS.insightFeedbackOptions} items`)
      .openapi({ description: "Answer options the user picked", example: ["helpful", "new_to_me"] }),
    thumbUp: z.boolean({ error: "must be a boolean" }).openapi({ description: "true = thumbs up", example: true }),
  })
  .openapi("InsightFeedbackOptionsV2Dto");

export const InsightFeedbackCreateSchema = z
  .object({
    app_version: Text.openapi({ description: "The app's version", example: "2.5.1" }),
    date: DateOrDateTimeSchema.openapi({
      description: "The day (or moment) the feedback is about",
      example: "2024-03-20",
    }),
    feedback: z
      .array(FeedbackSectionSchema)
      .max(LIMITS.insightFeedbackSections, `must have at most ${LIMITS.insightFeedbackSections} items`)
      .openapi({ description: "One entry per rated section" }),
    instance_id: Text.openapi({
      description: "The id of the reflection rated, as answered by POST /v2/insight",
      example: "5f0c1d52-8a4e-4a4e-9a57-2f7f1f0b6a11",
    }),
    test_build: z
      .boolean({ error: "must be a boolean" })
      .openapi({ description: "Sent by a test build of the app", example: false }),
  })
  .openapi("InsightFeedbackV2Dto");

export const InsightFeedbackSchema = z
  .object({
    id: z.uuid().openapi({ description: "The feedback's id" }),
    instanceId: z.string().openapi({ description: "The reflection rated (`instance_id` as sent)" }),
    appVersion: z.string().openapi({ description: "`app_version` as sent", example: "2.5.1" }),
    date: z.union([z.iso.date(), TimestampSchema]).openapi({
      description: "`date` as sent; a date-time is normalized to ISO-8601 UTC",
      example: "2024-03-20",
    }),
    feedback: z.array(FeedbackSectionSchema).openapi({ description: "One entry per rated section" }),
    testBuild: z.boolean().openapi({ description: "`test_build` as sent" }),
    created: TimestampSchema.openapi({
      description: "When it was stored, ISO-8601 UTC",
      example: "2024-03-20T18:05:00.000Z",
    }),
  })
  .openapi("InsightFeedback");

export const InsightHistoryEntrySchema = InsightResponseSchema.extend({
  appVersion: z
    .string()
    .openapi({ description: "The app-version header of the request that created it", example: "2.5.1" }),
  feedback: z.array(InsightFeedbackSchema).openapi({ description: "Feedback on this reflection, oldest first" }),
}).openapi("InsightHistoryEntry");
