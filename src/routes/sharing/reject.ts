import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { shareChanged } from "../../changes/account";
import { getDb } from "../../db";
import { rejectInvitation } from "../../db/invitations";
import { BEARER, type Router } from "../../http/router";
import {
  conflict,
  conflictResponse,
  errorResponses,
  notFoundResponse,
  unverifiedEmailResponse,
} from "../../lib/errors";
import { jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { KINDS, type KindInfo, receivedPending } from "../../sharing/invitations";
import { EmailRequestSchema } from "./schemas";

/** POST /v1/sharing/invite/reject and POST /v1/sharing/request/reject: the recipient declines; no mail goes out. */
const rejectRoute = (info: KindInfo) =>
  createRoute({
    method: "post",
    path: `/v1/sharing/${info.path}/reject`,
    operationId: info.kind === "INVITE" ? "sharingcontroller_rejectinvite" : "sharingcontroller_rejectrequest",
    tags: ["sharing"],
    summary: info.kind === "INVITE" ? "Reject a sharing invite" : "Reject a request for your dashboard",
    description: `The caller declines the PENDING ${info.noun} that the user with \`email\` sent them; the sender is not notified (the ${info.noun} shows REJECTED in their list) and may send a new one. 404 when that user sent the caller none; 409 when it was already accepted or rejected.`,
    security: BEARER,
    middleware: [requireUser],
    request: { body: jsonBody(EmailRequestSchema) },
    responses: {
      201: jsonResponse(
        StatusSuccessSchema,
        info.kind === "INVITE" ? "Invite rejected successfully" : "Request rejected successfully",
      ),
      ...errorResponses,
      ...unverifiedEmailResponse,
      ...notFoundResponse,
      ...conflictResponse,
    },
  });

export default function mount(app: Router) {
  for (const info of [KINDS.INVITE, KINDS.REQUEST]) {
    app.openapi(rejectRoute(info), async (c) => {
      const db = getDb(c.env.DB);
      const { invitation, sender } = await receivedPending(db, info, c.req.valid("json").email, c.get("user"));
      if (!(await rejectInvitation(db, invitation.id, nowIso()))) {
        throw conflict(`This sharing ${info.noun} is no longer pending`);
      }
      await shareChanged(c.env, "delete", c.get("user").id, { id: sender.id });
      return c.json(SUCCESS, 201);
    });
  }
}
