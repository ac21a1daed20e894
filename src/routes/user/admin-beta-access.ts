import { createRoute, z } from "@hono/zod-openapi";
import { adminOnly } from "../../auth/middleware";
import { recordAccountChanges } from "../../changes/account";
import { getDb } from "../../db";
import {
  type BetaDecision,
  decideBetaAccess,
  findBetaAccessRequest,
  listBetaAccessRequests,
} from "../../db/beta-access";
import { BETA_ACCESS_STATUSES } from "../../db/schema";
import { findUserById } from "../../db/users";
import { BEARER, type Router } from "../../http/router";
import {
  conflict,
  conflictResponse,
  errorResponses,
  forbiddenResponse,
  notFound,
  notFoundResponse,
} from "../../lib/errors";
import { jsonResponse, TimestampSchema } from "../../lib/schemas";
import { PageQuerySchema } from "./admin-all";
import { toUserDto } from "./dto";

export const BetaAccessRequestSchema = z
  .object({
    id: z.uuid(),
    userId: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    status: z.enum(BETA_ACCESS_STATUSES),
    requestedAt: TimestampSchema,
    decidedAt: TimestampSchema.nullable(),
    decidedBy: z.string().nullable().openapi({ description: "Id of the admin who decided" }),
  })
  .openapi("BetaAccessRequest");

const listRoute = createRoute({
  method: "get",
  path: "/v1/user/admin/beta_access",
  operationId: "usercontroller_listbetaaccessv1",
  tags: ["user"],
  summary: "List beta-access requests (admins only)",
  description: "Oldest first; `status` filters (e.g. `PENDING` for the review queue).",
  security: BEARER,
  middleware: [...adminOnly],
  request: { query: PageQuerySchema.extend({ status: z.enum(BETA_ACCESS_STATUSES).optional() }) },
  responses: {
    200: jsonResponse(z.array(BetaAccessRequestSchema), "Beta-access requests"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

const decisionRoute = (decision: BetaDecision) =>
  createRoute({
    method: "post",
    path: `/v1/user/admin/beta_access/{id}/${decision === "APPROVED" ? "approve" : "deny"}`,
    operationId: `usercontroller_${decision === "APPROVED" ? "approve" : "deny"}betaaccessv1`,
    tags: ["user"],
    summary: `${decision === "APPROVED" ? "Approve" : "Deny"} a beta-access request (admins only)`,
    description:
      decision === "APPROVED"
        ? "Marks the request APPROVED and sets the user's `isEarlyAccess`. Only a PENDING request can be decided (else 409)."
        : "Marks the request DENIED; the user may ask again. Only a PENDING request can be decided (else 409).",
    security: BEARER,
    middleware: [...adminOnly],
    request: { params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }) },
    responses: {
      200: jsonResponse(BetaAccessRequestSchema, "The decided request"),
      ...errorResponses,
      ...forbiddenResponse,
      ...notFoundResponse,
      ...conflictResponse,
    },
  });

export default function mount(app: Router) {
  app.openapi(listRoute, async (c) => {
    const { status, limit, offset } = c.req.valid("query");
    return c.json(await listBetaAccessRequests(getDb(c.env.DB), status, limit, offset), 200);
  });

  for (const decision of ["APPROVED", "DENIED"] as const) {
    app.openapi(decisionRoute(decision), async (c) => {
      const { id } = c.req.valid("param");
      const db = getDb(c.env.DB);
      const result = await decideBetaAccess(db, id, decision, c.get("user"));
      if (!result.ok && result.reason === "not_found") throw notFound("No beta-access request with this id");
      if (!result.ok) throw conflict("This beta-access request was already decided");
      const decided = await findBetaAccessRequest(db, id);
      if (!decided) throw notFound("No beta-access request with this id");
      const member = decision === "APPROVED" ? await findUserById(db, decided.userId) : undefined;
      if (member) {
        const change = { kind: "profile", op: "upsert", data: toUserDto(member) } as const;
        await recordAccountChanges(c.env, [{ userId: member.id, change }]);
      }
      return c.json(decided, 200);
    });
  }
}
