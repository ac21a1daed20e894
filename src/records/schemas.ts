import { z } from "@hono/zod-openapi";
import { type ApiError, badRequest } from "../lib/errors";
import { LIMITS } from "../lib/limits";
import { DateTimeSchema, textSchema } from "../lib/schemas";

/**
 * What the personal-record routes have in common (session, activity, intention, checkin, day-feedback, insight):
 * instants, notes, batches, created ids, the id parameter and the refusal of an oversized list. Batch elements are
 * named by index in errors by the validation hook (src/lib/validation.ts `issuePath`).
 */

const LATEST_MS = Date.UTC(9999, 0, 1);

/**
 * An ISO-8601 date-time with `Z` or an offset, from 1970 on (stored as UTC text, whose order must be time order).
 * Keep the value as sent where its offset matters (day feedback's local day); normalize with `toIso` to store.
 */
export const InstantSchema = DateTimeSchema.refine((v) => {
  const ms = Date.parse(v);
  return ms >= 0 && ms < LATEST_MS;
}, "must be an ISO-8601 date-time from 1970 on");

/** A note: free text that may span lines (CR and LF kept), stored exactly as sent. */
export const NoteSchema = textSchema({ max: LIMITS.recordNoteLength, multiline: true });

/** A batch POST body: 0 to LIMITS.recordBatchMax elements, each validated; one bad element rejects the batch. */
export function batchOf<T extends z.ZodType>(item: T) {
  return z
    .array(item, { error: "the body must be a JSON array" })
    .max(LIMITS.recordBatchMax, `a batch holds at most ${LIMITS.recordBatchMax} elements`);
}

export const BATCH_RULES = `At most ${LIMITS.recordBatchMax} elements. Atomic: one invalid element rejects the whole batch with a 400 naming its index (e.g. \`[3].start_datetime: must be an ISO-8601 date-time\`) and nothing is stored.`;

export const IdsSchema = z
  .array(z.uuid())
  .openapi({
    description: "The ids of the created records, in the order of the request's elements",
    example: ["5f0c1d52-8a4e-4a4e-9a57-2f7f1f0b6a11"],
  })
  .openapi("CreatedIds");

export const IdParamsSchema = z.object({
  id: z.string().openapi({
    param: { name: "id", in: "path" },
    description: "The record's id (a UUID); an unknown id, or one of another user's, answers 404",
    example: "5f0c1d52-8a4e-4a4e-9a57-2f7f1f0b6a11",
  }),
});

/** A list whose range holds more than LIMITS.recordListMax records is refused, never silently cut. */
export function tooMany(noun: string): ApiError {
  return badRequest(`the range holds more than ${LIMITS.recordListMax} ${noun}: ask for a shorter range`);
}
