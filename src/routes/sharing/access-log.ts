import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { type AccessLogPosition, listAccessLog } from "../../db/access-log";
import { fromBase64Url, toBase64Url, utf8 } from "../../lib/encoding";
import { badRequest, errorResponses } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { BEARER, type Router } from "../../lib/openapi";
import { jsonResponse, TimestampSchema } from "../../lib/schemas";

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
    viewerId: z.string(),
    viewerEmail: z.string().openapi({ example: "patrick@bikinibottom.com" }),
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
  description:
    "Every read of the caller's data through a share (the `shared-user` header): viewer, data type, path, range and time, newest first. Page with `cursor` (stable while new entries arrive) or `offset`. Not in the NOWATCH 0.9.0 reference (see docs/sharing.md).",
  security: BEARER,
  middleware: [requireUser],
  request: { query: AccessLogQuerySchema },
  responses: { 200: jsonResponse(AccessLogPageSchema, "A page of the caller's access log"), ...errorResponses },
});

const encodeCursor = (position: AccessLogPosition) => toBase64Url(utf8(JSON.stringify([position.at, position.id])));

function decodeCursor(cursor: string): AccessLogPosition {
  try {
    const [at, id] = JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))) as unknown[];
    if (typeof at === "string" && typeof id === "string") return { at, id };
  } catch {
    // not ours: refused below
  }
  throw badRequest("cursor: not a cursor from this API");
}

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { limit, cursor, offset } = c.req.valid("query");
    if (cursor !== undefined && offset !== undefined) throw badRequest("Send either cursor or offset, not both");
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const rows = await listAccessLog(getDb(c.env.DB), c.get("user").id, { limit, offset: offset ?? 0, after });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        entries: page.map(({ id, ownerId, ...entry }) => entry),
        nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
      },
      200,
    );
  });
}
