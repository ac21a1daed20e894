import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { findEmailsByIds } from "../../db/users";
import { BEARER, type Router } from "../../http/router";
import { fromBase64Url, sha256Hex, toBase64Url, utf8 } from "../../lib/encoding";
import { badRequest, errorResponses } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonResponse, TimestampSchema } from "../../lib/schemas";
import type { StoredAccess } from "../../user-store/access-log";
import { userStore } from "../../user-store/user-store";

export const AccessLogQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(LIMITS.accessLogPageSize)
    .default(50)
    .openapi({ description: `Page size, at most ${LIMITS.accessLogPageSize}`, example: 50 }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ description: "`nextCursor` of the previous page (not together with `offset`)" }),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: "Entries to skip instead of a cursor", example: 0 }),
});

export const AccessLogEntrySchema = z
  .object({
    viewerId: z
      .string()
      .openapi({ description: "The reader's user id; a pseudonym (`deleted-…`) once their account is deleted" }),
    viewerEmail: z.string().openapi({
      description: "The reader's email; a pseudonym (`deleted-…@deleted.invalid`) once their account is deleted",
      example: "patrick@bikinibottom.com",
    }),
    dataType: z.string().openapi({ description: "One of the shareable data types", example: "HEART_RATE" }),
    path: z.string().openapi({ example: "/v1/measurement" }),
    rangeStart: z.string().nullable().openapi({ description: "Start of the range read, cut at `sharedSince`" }),
    rangeEnd: z.string().nullable(),
    at: TimestampSchema.openapi({ example: "2024-03-20T12:00:00.000Z" }),
  })
  .openapi("SharingAccessLogEntry");

export const AccessLogPageSchema = z
  .object({
    entries: z.array(AccessLogEntrySchema),
    nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last" }),
  })
  .openapi("SharingAccessLogPage");

const route = createRoute({
  method: "get",
  path: "/v1/sharing/access-log",
  operationId: "sharingcontroller_getaccesslog",
  tags: ["sharing"],
  summary: "Who read your shared data, and when",
  description: `Every read of the caller's data through a share (the \`shared-user\` header): viewer, data type, path, range and time, newest first, kept ${LIMITS.accessLogRetentionDays} days. Page with \`cursor\` (stable while new entries arrive) or \`offset\`. A viewer who deleted their account appears under a pseudonym. Not in the NOWATCH 0.9.0 reference (see docs/sharing.md).`,
  security: BEARER,
  middleware: [requireUser],
  request: { query: AccessLogQuerySchema },
  responses: { 200: jsonResponse(AccessLogPageSchema, "A page of the caller's access log"), ...errorResponses },
});

const encodeCursor = (entry: StoredAccess) => toBase64Url(utf8(JSON.stringify([entry.at, entry.id])));

/** The position a cursor continues after (the id of the last entry of the previous page). */
function decodeCursor(cursor: string): number {
  try {
    const [at, id] = JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))) as unknown[];
    if (typeof at === "string" && typeof id === "number" && Number.isSafeInteger(id) && id > 0) return id;
  } catch {
    // not ours: refused below
  }
  throw badRequest("cursor: not a cursor from this API");
}

/**
 * A deleted viewer's stand-in: stable within one owner's log (the same reader stays recognizable as one person) and
 * different in every other owner's, so it links nothing across logs.
 */
async function pseudonym(ownerId: string, viewerId: string): Promise<string> {
  return `deleted-${(await sha256Hex(`access-log:${ownerId}:${viewerId}`)).slice(0, 16)}`;
}

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { limit, cursor, offset } = c.req.valid("query");
    if (cursor !== undefined && offset !== undefined) throw badRequest("Send either cursor or offset, not both");
    const afterId = cursor === undefined ? undefined : decodeCursor(cursor);
    const ownerId = c.get("user").id;
    const rows = await userStore(c.env, ownerId).listAccessLog({ limit, offset: offset ?? 0, afterId });
    const page = rows.slice(0, limit);
    // The log holds viewer ids only: emails come from the accounts as they are now.
    const emails = await findEmailsByIds(getDb(c.env.DB), [...new Set(page.map((entry) => entry.viewerId))]);
    // One pseudonym per deleted viewer on the page, however many entries they have.
    const gone = [...new Set(page.map((entry) => entry.viewerId).filter((id) => !emails.has(id)))];
    const aliases = new Map(await Promise.all(gone.map(async (id) => [id, await pseudonym(ownerId, id)] as const)));
    const entries = page.map(({ id, viewerId, ...entry }) => {
      const alias = aliases.get(viewerId);
      return alias === undefined
        ? { viewerId, viewerEmail: emails.get(viewerId) as string, ...entry }
        : { viewerId: alias, viewerEmail: `${alias}@deleted.invalid`, ...entry };
    });
    const last = page.at(-1);
    return c.json({ entries, nextCursor: rows.length > limit && last ? encodeCursor(last) : null }, 200);
  });
}
