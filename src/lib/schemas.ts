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

const DAY_MS = 86_400_000;
const DaySchema = z.iso.date({ message: "must be a date in YYYY-MM-DD format" });

/** `start_day`/`end_day` (YYYY-MM-DD, inclusive UTC days): start not after end, at most LIMITS.rangeDays days. */
export const DayRangeQuerySchema = z
  .object({
    start_day: DaySchema.openapi({ description: "First day, inclusive (UTC)", example: "2024-03-01" }),
    end_day: DaySchema.openapi({ description: "Last day, inclusive (UTC)", example: "2024-03-31" }),
  })
  .superRefine((q, ctx) => {
    const start = Date.parse(q.start_day);
    const end = Date.parse(q.end_day);
    if (start > end) {
      ctx.addIssue({ code: "custom", path: ["start_day"], message: "start_day must not be after end_day" });
    } else if ((end - start) / DAY_MS + 1 > LIMITS.rangeDays) {
      ctx.addIssue({
        code: "custom",
        path: ["end_day"],
        message: `the range must span at most ${LIMITS.rangeDays} days`,
      });
    }
  });

/** The header naming whose data a read is for (contract §1 "Shared headers"). */
export const SHARED_USER_HEADER = "shared-user";

/** The optional `shared-user` header of every personal-data read (contract §1 "Shared headers"). */
export const SharedUserHeadersSchema = z.object({
  [SHARED_USER_HEADER]: z.string().optional().openapi({
    description: "Id of a user who shares their data with you: read their data (from the share's sharedSince on)",
  }),
});
