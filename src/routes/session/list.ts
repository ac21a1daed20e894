import { createRoute, z } from "@hono/zod-openapi";
import type { TypedResponse } from "hono";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonResponse, rangeRule } from "../../lib/schemas";
import { dayAfter, dayStart, toIso } from "../../lib/time";
import { InstantSchema, tooMany } from "../../records/schemas";
import { cutIsoRange } from "../../sharing/policy";
import { authorizeRead, requireReader, SHARED_USER_PARAMETER } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { SESSION, SessionSchema, type SessionVariant } from "./schemas";

const isDay = (v: string) => z.iso.date().safeParse(v).success;

/** A union rather than a refined string, so the document offers both formats (`anyOf` date / date-time). */
const DayOrInstant = z.union([z.iso.date(), InstantSchema], {
  error: "must be a YYYY-MM-DD date or an ISO-8601 date-time",
});

/** `[from, to)` in ISO UTC: a day means the whole UTC day, a date-time the instant (both ends inclusive). */
export function sessionRange(q: { start_date: string; end_date: string }): { from: string; to: string } {
  const from = isDay(q.start_date) ? dayStart(q.start_date) : toIso(q.start_date);
  const to = isDay(q.end_date) ? dayAfter(q.end_date) : new Date(Date.parse(q.end_date) + 1).toISOString();
  return { from, to };
}

export const SessionRangeQuerySchema = z
  .object({
    start_date: DayOrInstant.openapi({
      description: "Inclusive: a YYYY-MM-DD day (from its UTC midnight) or an ISO-8601 date-time",
      example: "2024-03-01",
    }),
    end_date: DayOrInstant.openapi({
      description: "Inclusive: a YYYY-MM-DD day (to its end, UTC) or an ISO-8601 date-time",
      example: "2024-03-31",
    }),
  })
  .check(
    rangeRule({
      start: "start_date",
      end: "end_date",
      interval: (q) => {
        const { from, to } = sessionRange(q);
        return { from: Date.parse(from), to: Date.parse(to) };
      },
      order: "must not be after end_date",
    }),
  );

const route = (v: SessionVariant) =>
  createRoute({
    method: "get",
    path: v.path,
    operationId: `${v.controller}_findallv1`,
    tags: [v.tag],
    summary:
      v.tag === "session" ? "Fetch all user sessions based on start and end date" : `Fetch ${v.plural} in a range`,
    description: `The ${v.plural} whose \`startDatetime\` lies in [start_date, end_date], ordered by \`startDatetime\`. ${v.about} At most ${LIMITS.rangeDays} days; a range holding more than ${LIMITS.recordListMax} records is refused (400). With \`shared-user\`, reads another user's ${v.plural} through an accepted share that includes SESSIONS: those starting before the share's \`sharedSince\` are left out.`,
    security: BEARER,
    middleware: [requireReader],
    parameters: [SHARED_USER_PARAMETER],
    request: { query: SessionRangeQuerySchema },
    responses: {
      200: jsonResponse(z.array(SessionSchema), `The ${v.plural}, oldest first`),
      ...errorResponses,
      ...forbiddenResponse,
    },
  });

export default function mount(app: Router, v: SessionVariant = SESSION) {
  app.openapi(route(v), async (c) => {
    const q = c.req.valid("query");
    const { grant, access } = authorizeRead(c, "SESSIONS", { start: q.start_date, end: q.end_date });
    const range = sessionRange(q);
    const { from, to } = cutIsoRange(grant, range.from, range.to);
    const json = await userStore(c.env, grant.ownerId).listSessionsJson({ from, to, kind: v.kind }, access);
    if (json === null) throw tooMany(v.plural);
    // Pre-rendered by the store (the hot path: a year of sessions); the shape is SessionSchema[] (tested against it).
    return c.body(json, 200, { "content-type": "application/json; charset=UTF-8" }) as unknown as TypedResponse<
      z.infer<typeof SessionSchema>[],
      200,
      "json"
    >;
  });
}
