import { createRoute, z } from "@hono/zod-openapi";
import { decodeCursor, encodeCursor } from "../../changes/cursor";
import { CHANGE_KINDS, CHANGE_OPS, feedCut } from "../../changes/kinds";
import { SHAREABLE_DATA_TYPES, type ShareableDataType } from "../../db/schema";
import { BEARER, createRouter } from "../../http/router";
import { ApiError, badRequest, errorResponse, errorResponses, forbidden, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { DaySchema, jsonResponse, TimestampSchema } from "../../lib/schemas";
import { MEASUREMENT_TYPES, SECONDS_PER_DAY } from "../../measurements/types";
import { grantRead, loggedRangeStart, NO_ACCESS } from "../../sharing/policy";
import { requireReader, SHARED_USER_PARAMETER } from "../../sharing/read-scope";
import type { AccessRecord } from "../../user-store/access-log";
import { userStore } from "../../user-store/user-store";

export const ChangesQuerySchema = z.object({
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "`cursor` of the previous answer; omit it to start from the beginning" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(LIMITS.changesPageMax)
    .default(LIMITS.changesPageDefault)
    .openapi({ description: `Changes per page, at most ${LIMITS.changesPageMax}`, example: LIMITS.changesPageDefault }),
});

export const ChangeSchema = z
  .object({
    kind: z.enum(CHANGE_KINDS),
    op: z.enum(CHANGE_OPS).openapi({ description: "`delete`: the thing is gone (a tombstone); `upsert`: refetch it" }),
    id: z.string().optional().openapi({
      description:
        "The record's id (session, checkin, day_feedback, insight); for `share`, the other user's id (or the invitation's, for someone without an account)",
    }),
    measurementType: z.enum(MEASUREMENT_TYPES).optional().openapi({ description: "On `measurement_day` changes" }),
    day: DaySchema.optional().openapi({
      description: "On `measurement_day` changes: the UTC day",
      example: "2024-03-20",
    }),
    at: TimestampSchema.openapi({
      description: "When the server stored the change",
      example: "2024-03-20T12:00:00.000Z",
    }),
  })
  .openapi("Change");

export const ChangesPageSchema = z
  .object({
    changes: z.array(ChangeSchema),
    cursor: z
      .string()
      .openapi({ description: "Pass as `cursor` to go on from here; store it after applying the page" }),
    hasMore: z.boolean().openapi({ description: "More changes follow now; call again with `cursor` right away" }),
  })
  .openapi("ChangesPage");

const route = createRoute({
  method: "get",
  path: "/v1/changes",
  operationId: "changescontroller_list",
  tags: ["changes"],
  summary: "What changed since your last sync",
  description: [
    "The caller's change feed (docs/changes.md): every change in the order the server stored it, whatever the data's own date, so a late-arriving sample of an old day shows up after today's cursor.",
    "A thing changed twice appears once, at its latest change. Deletions stay as tombstones (`op: delete`) for",
    `${LIMITS.changesTombstoneDays} days; a cursor older than that answers 410, and the client resyncs from the beginning (no cursor).`,
    "With `shared-user`, the feed of a user who shares with the caller: only the kinds and measurement types of the share, only data from its `sharedSince` on (a record moved before it reads as deleted), never settings, profile or shares; the read is written to the owner's access log. A stranger gets 403.",
  ].join(" "),
  security: BEARER,
  middleware: [requireReader],
  request: { query: ChangesQuerySchema },
  parameters: [SHARED_USER_PARAMETER],
  responses: {
    200: jsonResponse(ChangesPageSchema, "A page of changes"),
    ...errorResponses,
    ...forbiddenResponse,
    410: errorResponse("The cursor is older than the deletions kept: resync from the beginning"),
  },
});

const gone = () =>
  new ApiError(
    "GONE",
    `cursor: older than the ${LIMITS.changesTombstoneDays} days of deletions kept; resync without a cursor`,
  );

export function changesRoutes() {
  const app = createRouter();
  app.openapi(route, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const scope = c.get("readScope");
    if (!scope) throw new Error("the change feed needs the requireReader middleware");
    const ownerId = scope.ownerId;
    let after = 0;
    if (cursor !== undefined) {
      const reading = decodeCursor(ownerId, cursor);
      if (!reading.ok) throw badRequest(reading.problem);
      const ageDays = (Date.now() / 1000 - reading.position.issuedAt) / SECONDS_PER_DAY;
      if (ageDays > LIMITS.changesTombstoneDays) throw gone();
      after = reading.position.seq;
    }
    let cut = null;
    let access: AccessRecord | null = null;
    if (scope.viaShare) {
      // The feed shows what the share shows: each type's grant, all cut at the share's one sharedSince.
      const grants = SHAREABLE_DATA_TYPES.map((type) => grantRead(scope, type)).filter((g) => g !== null);
      const first = grants[0];
      cut =
        first === undefined
          ? null
          : feedCut(new Set<ShareableDataType>(grants.map((g) => g.dataType)), first.sinceMs ?? 0);
      if (first === undefined || cut === null) throw forbidden(NO_ACCESS);
      access = {
        viewerId: first.viewerId,
        dataType: "CHANGES",
        path: c.req.path,
        rangeStart: loggedRangeStart(first, undefined),
        rangeEnd: null,
      };
    }
    const outcome = await userStore(c.env, ownerId).listChanges(after, limit, cut, access);
    if (outcome.outcome === "gone") throw gone();
    if (outcome.outcome === "unknown")
      throw badRequest("cursor: ahead of this feed; omit it to start from the beginning");
    const { page } = outcome;
    const next = encodeCursor(ownerId, { seq: page.position, issuedAt: Math.floor(Date.now() / 1000) });
    return c.json({ changes: page.entries, cursor: next, hasMore: page.hasMore }, 200);
  });
  return app;
}
