import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { shareChanged } from "../../changes/account";
import { getDb } from "../../db";
import { deletePendingInvitation } from "../../db/invitations";
import { BEARER, type Router } from "../../http/router";
import { conflict, conflictResponse, errorResponses, notFoundResponse } from "../../lib/errors";
import { jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { KINDS, type KindInfo, sentPending } from "../../sharing/invitations";
import { EmailRequestSchema } from "./schemas";

/** DELETE /v1/sharing/invite and DELETE /v1/sharing/request: the sender withdraws a PENDING one. */
const cancelRoute = (info: KindInfo) =>
  createRoute({
    method: "delete",
    path: `/v1/sharing/${info.path}`,
    operationId: info.kind === "INVITE" ? "sharingcontroller_deleteinvite" : "sharingcontroller_deleterequest",
    tags: ["sharing"],
    summary: info.kind === "INVITE" ? "Delete a sent sharing invite" : "Cancel a sharing request you sent",
    description: `Withdraws the caller's PENDING ${info.noun} to \`email\` (the recipient's email). 404 when the caller sent none; 409 once it was accepted or rejected (to end an accepted share use DELETE /v1/sharing or DELETE /v1/shared).`,
    security: BEARER,
    middleware: [requireUser],
    request: { body: jsonBody(EmailRequestSchema) },
    responses: {
      200: jsonResponse(
        StatusSuccessSchema,
        info.kind === "INVITE" ? "Invite deleted successfully" : "Request deleted successfully",
      ),
      ...errorResponses,
      ...notFoundResponse,
      ...conflictResponse,
    },
  });

export default function mount(app: Router) {
  for (const info of [KINDS.INVITE, KINDS.REQUEST]) {
    app.openapi(cancelRoute(info), async (c) => {
      const db = getDb(c.env.DB);
      const invitation = await sentPending(db, info, c.get("user"), c.req.valid("json").email);
      if (!(await deletePendingInvitation(db, invitation.id))) throw conflict(`This ${info.noun} is no longer pending`);
      const counterpart = invitation.recipientId ? { id: invitation.recipientId } : { invitationId: invitation.id };
      await shareChanged(c.env, "delete", c.get("user").id, counterpart);
      return c.json(SUCCESS, 200);
    });
  }
}
