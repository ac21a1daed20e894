import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { shareChanged } from "../../changes/account";
import { getDb } from "../../db";
import { acceptInvitation, roles } from "../../db/invitations";
import { findActiveShare, findShareRecord } from "../../db/shares";
import { BEARER, type Router } from "../../http/router";
import {
  conflict,
  conflictResponse,
  errorResponses,
  notFoundResponse,
  unverifiedEmailResponse,
} from "../../lib/errors";
import { EmailSchema, jsonBody, jsonResponse } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { KINDS, type KindInfo, receivedPending } from "../../sharing/invitations";
import { EmailRequestSchema, limitsFromBody, ShareLimitsFields, ShareRecordSchema } from "./schemas";

export const AcceptRequestSchema = z
  .object({ email: EmailSchema.openapi({ description: "The requester's email" }), ...ShareLimitsFields })
  .openapi("SharingAcceptRequest");

const DESCRIPTIONS = {
  INVITE:
    "The caller accepts the PENDING invite that the user with `email` sent them: that user's dashboard appears in GET /v1/shared, with data from the invite's `shareSince` on (and the invite's `types`/`expiresAt`). Returns the new share. 404 when that user sent the caller no invite; 409 when it was already accepted or rejected, its `expiresAt` has passed, or the caller already sees that dashboard.",
  REQUEST:
    "The caller accepts the PENDING request that the user with `email` sent them: that user may read the caller's data from the request's `shareSince` on, limited to `types` and until `expiresAt` when given (default: all types, no expiry). Returns the new share. 404 when that user sent the caller no request; 409 when it was already accepted or rejected, or they already see the caller's dashboard.",
};

const acceptRoute = (info: KindInfo) =>
  createRoute({
    method: "post",
    path: `/v1/sharing/${info.path}/accept`,
    operationId: info.kind === "INVITE" ? "sharingcontroller_acceptinvite" : "sharingcontroller_acceptrequest",
    tags: ["sharing"],
    summary: info.kind === "INVITE" ? "Accept a sharing invite" : "Accept a request for your dashboard",
    description: DESCRIPTIONS[info.kind],
    security: BEARER,
    middleware: [requireUser],
    request: { body: jsonBody(info.kind === "INVITE" ? EmailRequestSchema : AcceptRequestSchema) },
    responses: {
      201: jsonResponse(
        ShareRecordSchema,
        info.kind === "INVITE" ? "Invite accepted successfully" : "Request accepted successfully",
      ),
      ...errorResponses,
      ...unverifiedEmailResponse,
      ...notFoundResponse,
      ...conflictResponse,
    },
  });

export default function mount(app: Router) {
  for (const info of [KINDS.INVITE, KINDS.REQUEST]) {
    app.openapi(acceptRoute(info), async (c) => {
      const body: z.infer<typeof AcceptRequestSchema> = c.req.valid("json");
      const caller = c.get("user");
      const db = getDb(c.env.DB);
      const { invitation, sender } = await receivedPending(db, info, body.email, caller);
      const { ownerId, viewerId } = roles(info.kind, sender.id, caller.id);
      const now = nowIso();
      if (await findActiveShare(db, ownerId, viewerId, new Date(now))) {
        throw conflict(
          info.kind === "INVITE" ? "You already see this user's dashboard" : "This user already sees your dashboard",
        );
      }
      const limits = limitsFromBody(body);
      const expiresAt = limits.expiresAt === undefined ? invitation.expiresAt : limits.expiresAt;
      if (expiresAt !== null && expiresAt <= now) {
        // The invite named an end date that has passed: accepting it would create a share that is already over.
        throw conflict(`The share this ${info.noun} offers ended on ${expiresAt}; ask for a new one`);
      }
      if (!(await acceptInvitation(db, invitation, caller.id, limits, now))) {
        throw conflict(`This sharing ${info.noun} is no longer pending`);
      }
      const share = await findShareRecord(db, ownerId, viewerId, now);
      if (!share) throw conflict("The share changed while it was being created; list it with GET /v1/sharing");
      await shareChanged(c.env, "upsert", caller.id, { id: sender.id });
      return c.json(share, 201);
    });
  }
}
