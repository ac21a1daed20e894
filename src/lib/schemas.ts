import { z } from "@hono/zod-openapi";
import { LIMITS } from "./limits";

/** Building blocks shared by route schemas: derive from these instead of repeating them. */

export const EmailSchema = z
  .string()
  .trim()
  .max(LIMITS.emailLength, `email must be at most ${LIMITS.emailLength} characters`)
  .pipe(z.email("email must be an email"))
  .openapi({ example: "spongebob@bikinibottom.com" });

/** ISO-8601 date-time with an offset or `Z` (e.g. `2024-07-01T12:34:56Z`). */
export const DateTimeSchema = z
  .string()
  .pipe(z.iso.datetime({ offset: true, message: "must be an ISO-8601 date-time" }))
  .openapi({ example: "2024-07-01T12:34:56Z" });

/** An ISO-8601 date (`YYYY-MM-DD`) or date-time. */
export const DateOrDateTimeSchema = z
  .string()
  .refine(
    (v) => z.iso.date().safeParse(v).success || z.iso.datetime({ offset: true }).safeParse(v).success,
    "must be an ISO-8601 date or date-time",
  )
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
