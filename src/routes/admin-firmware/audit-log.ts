import { createRoute, z } from "@hono/zod-openapi";
import { adminOnly } from "../../auth/middleware";
import { getDb } from "../../db";
import { listAudit } from "../../db/firmware";
import { BEARER, type Router } from "../../http/router";
import { badRequest, errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonResponse, TimestampSchema } from "../../lib/schemas";

const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: TimestampSchema,
    actorId: z.string().nullable().openapi({ description: "The admin; null for the system (an automatic halt)" }),
    actorEmail: z.string().nullable(),
    action: z.string().openapi({ example: "firmware.publish" }),
    targetType: z.string().openapi({ example: "firmware_release" }),
    targetId: z.string(),
    before: z.unknown().openapi({ description: "The target before the action (null on creation)" }),
    after: z.unknown().openapi({ description: "The target after the action (null on deletion)" }),
  })
  .openapi("AuditEntry");

const route = createRoute({
  method: "get",
  path: "/v1/admin/audit-log",
  operationId: "admincontroller_auditlog",
  tags: ["admin-firmware"],
  summary: "The admin audit log (admins only)",
  description:
    "What admins did (firmware releases, beta-access decisions) and what the system did for them (an automatic halt), newest first: who, what, when, and the target before and after. `target_type`, `target_id` and `action` filter. Pages by `cursor`: pass the `nextCursor` of the previous page.",
  security: BEARER,
  middleware: [...adminOnly],
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(LIMITS.auditLogPageSize).default(LIMITS.auditLogPageSize),
      cursor: z.string().max(200).optional(),
      target_type: z.string().max(64).optional(),
      target_id: z.string().max(100).optional(),
      action: z.string().max(64).optional(),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({ entries: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }).openapi("AuditLogPage"),
      "Entries",
    ),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

const encodeCursor = (at: string, id: string) => btoa(JSON.stringify([at, id])).replace(/=+$/, "");

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(atob(cursor)) as unknown[];
    if (typeof at === "string" && typeof id === "string") return { at, id };
  } catch {
    // fall through
  }
  throw badRequest("cursor: not a cursor from this log");
}

const parse = (text: string | null) => (text === null ? null : (JSON.parse(text) as unknown));

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const rows = await listAudit(getDb(c.env.DB), {
      targetType: q.target_type,
      targetId: q.target_id,
      action: q.action,
      before: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return c.json(
      {
        entries: page.map((r) => ({ ...r, before: parse(r.before), after: parse(r.after) })),
        nextCursor: rows.length > q.limit && last ? encodeCursor(last.at, last.id) : null,
      },
      200,
    );
  });
}
