import { z } from "@hono/zod-openapi";
import { TimestampSchema } from "../../lib/schemas";
import { toIso } from "../../lib/time";
import { CheckinContext, CheckinOrigin, Reactivity, RelatedFeeling, Valence } from "../../records/enums";
import { InstantSchema, NoteSchema } from "../../records/schemas";
import type { NewCheckin } from "../../user-store/records-checkins";

/** Schemas of the checkin tag ("User check-ins and wellness tracking"; designed here, see docs/records.md). */

const MAX_LIST = 50;

/** A list of enum values; repeats are dropped, order kept. */
function valueList<T extends z.ZodType<string>>(item: T, description: string, example: string[]) {
  return z
    .array(item)
    .max(MAX_LIST, `must have at most ${MAX_LIST} items`)
    .optional()
    .transform((list) => [...new Set(list ?? [])])
    .openapi({ description: `${description}; absent = none; repeats are dropped`, example });
}

export const CheckinCreateSchema = z
  .object({
    datetime: InstantSchema.openapi({ description: "The moment checked in", example: "2024-03-20T10:30:00+01:00" }),
    origin: CheckinOrigin.schema,
    reactivity: Reactivity.schema,
    valence: Valence.schema,
    related_feelings: valueList(RelatedFeeling.schema, "Feelings that go with the moment", ["HAPPY", "MOTIVATED"]),
    context: valueList(CheckinContext.schema, "What the user was doing", ["WORKING", "MEETING"]),
    note: NoteSchema.optional().openapi({ description: "Free text", example: "Before the quarterly review" }),
  })
  .openapi("CheckinCreate");

export const CheckinSchema = z
  .object({
    id: z.uuid().openapi({ description: "The check-in's id", example: "0b5e1f0c-6a0e-4a53-9d0c-4c0b6f1f9c11" }),
    datetime: TimestampSchema.openapi({ description: "ISO-8601 UTC", example: "2024-03-20T09:30:00.000Z" }),
    origin: CheckinOrigin.schema,
    reactivity: Reactivity.schema,
    valence: Valence.schema,
    relatedFeelings: z
      .array(RelatedFeeling.schema)
      .openapi({ description: "Feelings that go with the moment", example: ["HAPPY", "MOTIVATED"] }),
    context: z
      .array(CheckinContext.schema)
      .openapi({ description: "What the user was doing", example: ["WORKING", "MEETING"] }),
    note: z.string().openapi({ description: 'Free text; "" when none was given', example: "" }),
    created: TimestampSchema.openapi({
      description: "When it was stored, ISO-8601 UTC",
      example: "2024-03-20T09:30:02.123Z",
    }),
    lastUpdated: TimestampSchema.openapi({
      description: "When it last changed, ISO-8601 UTC",
      example: "2024-03-20T09:30:02.123Z",
    }),
  })
  .openapi("Checkin");

export function toNewCheckin(item: z.infer<typeof CheckinCreateSchema>): NewCheckin {
  return {
    datetime: toIso(item.datetime),
    origin: item.origin,
    reactivity: item.reactivity,
    valence: item.valence,
    relatedFeelings: item.related_feelings,
    context: item.context,
    note: item.note ?? "",
  };
}
