import { z } from "@hono/zod-openapi";
import { LIMITS } from "./limits";

/** Building blocks shared by route schemas: derive from these instead of repeating them. */

export const EmailSchema = z
  .string()
  .trim()
  .max(LIMITS.emailLength, `email must be at most ${LIMITS.emailLength} characters`)
  .pipe(z.email("email must be an email"))
  // The pipe hides the email check from the generator, so the document says it explicitly.
  .openapi({ format: "email", example: "spongebob@bikinibottom.com" });

const DATE_TIME_MESSAGE = "must be an ISO-8601 date-time";

/**
 * A request date-time: ISO-8601 with an offset or `Z` (e.g. `2024-07-01T12:34:56Z`). A string format, not a pipe, so
 * the document says `format: date-time` wherever it is used.
 */
export const DateTimeSchema = z.iso
  .datetime({ offset: true, error: DATE_TIME_MESSAGE })
  .openapi({ example: "2024-07-01T12:34:56Z" });

/** A response timestamp: ISO-8601 UTC with milliseconds, as the API writes them (`toISOString()`). */
export const TimestampSchema = z.iso.datetime({ offset: true }).openapi({ example: "2024-01-01T12:00:00.000Z" });

/** An ISO-8601 date (`YYYY-MM-DD`) or date-time; the document offers both formats (`anyOf`). */
export const DateOrDateTimeSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "must be an ISO-8601 date or date-time" })
  .openapi({ example: "1986-07-14T00:00:00.000Z" });

export const StatusSuccessSchema = z
  .object({ status: z.literal("success").openapi({ example: "success" }) })
  .openapi("StatusSuccess");

export const SUCCESS = { status: "success" } as const;

export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  description,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/**
 * The option of every refinement across fields. Zod 4 runs an object's refinements even after one of its fields
 * failed a check that does not abort (a string format such as `z.iso.date()`, a `.refine`), and hands them the raw
 * text: `"abc"` as a date, where `new Date(NaN).toISOString()` throws (a 500 instead of a 400). With this option the
 * refinement runs only when every field of the object passed.
 */
export const WHEN_VALID = { when: (payload: z.core.ParsePayload) => payload.issues.length === 0 };

const DAY_MS = 86_400_000;

/**
 * The rule of every range query: the interval `[from, to)` (epoch ms, from the fields) is not empty and spans at
 * most LIMITS.rangeDays days. Runs only when the fields are valid (`WHEN_VALID`); a NaN end still counts as empty.
 */
export function rangeRule<T>(rule: {
  start: keyof T & string;
  end: keyof T & string;
  interval: (q: T) => { from: number; to: number };
  /** The message when the start is not before the end. */
  order: string;
}): z.core.$ZodCheck<T> {
  return z.superRefine<T>((q, ctx) => {
    const { from, to } = rule.interval(q);
    if (!(from < to)) {
      ctx.addIssue({ code: "custom", path: [rule.start], message: rule.order });
    } else if (to - from > LIMITS.rangeDays * DAY_MS) {
      ctx.addIssue({
        code: "custom",
        path: [rule.end],
        message: `the range must span at most ${LIMITS.rangeDays} days`,
      });
    }
  }, WHEN_VALID);
}

const DaySchema = z.iso.date({ message: "must be a date in YYYY-MM-DD format" });

/** `start_day`/`end_day` (YYYY-MM-DD, inclusive UTC days): start not after end, at most LIMITS.rangeDays days. */
export const DayRangeQuerySchema = z
  .object({
    start_day: DaySchema.openapi({ description: "First day, inclusive (UTC)", example: "2024-03-01" }),
    end_day: DaySchema.openapi({ description: "Last day, inclusive (UTC)", example: "2024-03-31" }),
  })
  .check(
    rangeRule({
      start: "start_day",
      end: "end_day",
      interval: (q) => ({ from: Date.parse(q.start_day), to: Date.parse(q.end_day) + DAY_MS }),
      order: "start_day must not be after end_day",
    }),
  );

/** The header naming whose data a read is for (contract §1 "Shared headers"). */
export const SHARED_USER_HEADER = "shared-user";

/** The optional `shared-user` header of every personal-data read (contract §1 "Shared headers"). */
export const SharedUserHeadersSchema = z.object({
  [SHARED_USER_HEADER]: z.string().optional().openapi({
    description: "Id of a user who shares their data with you: read their data (from the share's sharedSince on)",
  }),
});
