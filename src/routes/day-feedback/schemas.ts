import { z } from "@hono/zod-openapi";
import { TimestampSchema } from "../../lib/schemas";
import { toIso } from "../../lib/time";
import { DayFeedbackTypeSchema, DayFeedbackValue, IntentionTag } from "../../records/enums";
import { InstantSchema, NoteSchema } from "../../records/schemas";
import type { NewDayFeedback } from "../../user-store/records-day-feedback";

/** Schemas of the day-feedback tag (contract §7): answers to "How was your day?" and "How was your sleep?". */

export const DayFeedbackCreateSchema = z
  .object({
    datetime: InstantSchema.openapi({
      description:
        "When the question was answered, with the phone's UTC offset: its date part is the local day the answer is about",
      example: "2024-03-20T22:10:00+01:00",
    }),
    type: DayFeedbackTypeSchema,
    value: DayFeedbackValue.schema,
    tag: IntentionTag.schema.optional(),
    note: NoteSchema.optional().openapi({ description: "Free text", example: "Long day at work" }),
  })
  .openapi("DayFeedbackCreate");

export const DayFeedbackSchema = z
  .object({
    id: z.uuid().openapi({ description: "Stable across re-answers of the same question on the same day" }),
    type: DayFeedbackTypeSchema,
    value: DayFeedbackValue.schema,
    datetime: TimestampSchema.openapi({
      description: "When it was answered, ISO-8601 UTC",
      example: "2024-03-20T21:10:00.000Z",
    }),
    day: z.iso.date().openapi({ description: "The local day the answer is about", example: "2024-03-20" }),
    tag: IntentionTag.schema.nullable().openapi({
      enum: [...IntentionTag.values, null],
      description: "IntentionTag (0 CALM, 1 FOCUS, 2 ENERGY, 3 POSITIVITY); null when none was given",
    }),
    note: z.string().optional().openapi({ description: "Present when one was given" }),
    created: TimestampSchema.openapi({
      description: "The first answer for this day and question",
      example: "2024-03-20T21:10:01.000Z",
    }),
    lastUpdated: TimestampSchema.openapi({ description: "The latest answer", example: "2024-03-20T21:10:01.000Z" }),
  })
  .openapi("DayFeedback");

/** The local day is the date as written by the client, in its own offset: `2024-03-20T22:10:00+01:00` → 2024-03-20. */
export function toNewDayFeedback(item: z.infer<typeof DayFeedbackCreateSchema>): NewDayFeedback {
  const answer: NewDayFeedback = {
    datetime: toIso(item.datetime),
    day: item.datetime.slice(0, 10),
    type: item.type,
    value: item.value,
    tag: item.tag ?? null,
  };
  if (item.note !== undefined) answer.note = item.note;
  return answer;
}
