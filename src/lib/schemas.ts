import { z } from "@hono/zod-openapi";
import { LIMITS } from "./limits";
import { DAY_MS } from "./time";

/** Building blocks shared by route schemas: derive from these instead of repeating them. */

export const EmailSchema = z
  .string()
  .trim()
  .max(LIMITS.emailLength, `email must be at most ${LIMITS.emailLength} characters`)
  .pipe(z.email("email must be an email"))
  // The pipe hides the email check from the generator, so the document says it explicitly.
  .openapi({ format: "email", example: "spongebob@bikinibottom.com" });

/** An unpaired UTF-16 surrogate: no Unicode character, and not encodable as UTF-8 (storage would alter it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Line breaks a single-line field refuses: CR, LF and the Unicode line and paragraph separators. */
const LINE_BREAK = /[\r\n\u2028\u2029]/;

export const TEXT_MESSAGES = {
  nul: "must not contain NUL (U+0000)",
  surrogate: "must not contain an unpaired UTF-16 surrogate",
  lineBreak: "must be a single line (no CR, LF, U+2028 or U+2029)",
  blank: "must not be blank",
} as const;

/** The free-text rules every text the API stores obeys (security finding 9), for one string. */
export function textProblem(value: string, multiline: boolean): string | undefined {
  if (value.includes("\u0000")) return TEXT_MESSAGES.nul;
  if (LONE_SURROGATE.test(value)) return TEXT_MESSAGES.surrogate;
  if (!multiline && LINE_BREAK.test(value)) return TEXT_MESSAGES.lineBreak;
  return undefined;
}

export interface TextOptions {
  /** Most UTF-16 code units (the contract's `[ 1 .. 150 ]` counts them, as JavaScript's `length` does). */
  max: number;
  /** Fewest code units; 1 or more also refuses a whitespace-only value ("must not be blank"). Default 0. */
  min?: number;
  /** Notes span lines (CR, LF kept); names and labels are one line. Default false. */
  multiline?: boolean;
}

/**
 * THE free-text schema: every name, label and note of a request body is one of these (docs/auth.md "Free text").
 * - NUL and unpaired surrogates are refused (400), never stored, stripped or replaced;
 * - the value is stored exactly as sent: no trim, no Unicode normalization, no case change;
 * - a field that must not be blank refuses whitespace-only instead of trimming it;
 * - single-line fields refuse line breaks; multi-line ones keep CR and LF.
 * Checks are refinements on a plain string, so `minLength`/`maxLength` reach the OpenAPI document.
 */
export function textSchema({ max, min = 0, multiline = false }: TextOptions) {
  let schema = z.string({ error: "must be a string" });
  if (min > 0) schema = schema.min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`);
  schema = schema.max(max, `must be at most ${max} characters`);
  return schema.superRefine((value, ctx) => {
    const problem = textProblem(value, multiline);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
    else if (min > 0 && value.length > 0 && value.trim() === "")
      ctx.addIssue({ code: "custom", message: TEXT_MESSAGES.blank });
  });
}

/** A person's first or last name (contract §2, §3: `[ 1 .. 150 ]`); also a shared dashboard's custom name. */
export const NameSchema = textSchema({ min: 1, max: LIMITS.nameLength });

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

/** The latest calendar day anywhere on Earth right now (UTC+14): "today" for a client in any time zone. */
const latestToday = (): string => new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);

/**
 * `date_of_birth` (PUT /v1/user): a date or date-time whose day, as written, is from 1900-01-01 to today (in the
 * client's time zone, so the latest day anywhere on Earth). docs/auth.md "Profile".
 */
export const DateOfBirthSchema = DateOrDateTimeSchema.refine((v) => {
  const day = v.slice(0, 10);
  return day >= LIMITS.dateOfBirthEarliest && day <= latestToday();
}, `must be from ${LIMITS.dateOfBirthEarliest} to today`).openapi({ example: "1986-07-14T00:00:00.000Z" });

/**
 * When the user accepted a legal text (POST /v1/auth/register): from 2015 on, and not more than the allowed clock
 * skew (one day) ahead of the server. docs/auth.md "Registration".
 */
export const AcceptedAtSchema = DateTimeSchema.refine(
  (v) => {
    const ms = Date.parse(v);
    return ms >= Date.parse(LIMITS.acceptedAtEarliest) && ms <= Date.now() + LIMITS.clockSkewMs;
  },
  `must be from ${LIMITS.acceptedAtEarliest.slice(0, 10)} to at most one day from now`,
);

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

export const DaySchema = z.iso.date({ message: "must be a date in YYYY-MM-DD format" });

/**
 * `start_day`/`end_day` (YYYY-MM-DD, inclusive days): start not after end, at most LIMITS.rangeDays days. `days`
 * names which days they are in the document: UTC days for most routes, the owner's local days for statistics.
 */
export const dayRangeQuery = (days: "UTC" | "local") =>
  z
    .object({
      start_day: DaySchema.openapi({ description: `First day, inclusive (${days})`, example: "2024-03-01" }),
      end_day: DaySchema.openapi({ description: `Last day, inclusive (${days})`, example: "2024-03-31" }),
    })
    .check(
      rangeRule({
        start: "start_day",
        end: "end_day",
        interval: (q) => ({ from: Date.parse(q.start_day), to: Date.parse(q.end_day) + DAY_MS }),
        order: "start_day must not be after end_day",
      }),
    );

export const DayRangeQuerySchema = dayRangeQuery("UTC");
