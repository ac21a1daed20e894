import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { markInvitationResent } from "../../db/invitations";
import { BEARER, type Router } from "../../http/router";
import { conflict, conflictResponse, errorResponses, notFoundResponse } from "../../lib/errors";
import { jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { mailInvitation } from "../../sharing/invitation-mail";
import { KINDS, sentPending } from "../../sharing/invitations";
import { EmailRequestSchema } from "./schemas";

const route = createRoute({
  method: "put",
  path: "/v1/sharing/invite/resend",
  operationId: "sharingcontroller_resendinvite",
  tags: ["sharing"],
  summary: "Resend a sharing invite",
  description:
    "Sends the invite email again for the caller's PENDING invite to `email` and moves its `sentDate`. 404 when the caller sent none; 409 once it was answered.",
  security: BEARER,
  middleware: [requireUser],
  request: { body: jsonBody(EmailRequestSchema) },
  responses: {
    200: jsonResponse(StatusSuccessSchema, "Invite resent successfully"),
    ...errorResponses,
    ...notFoundResponse,
    ...conflictResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const caller = c.get("user");
    const db = getDb(c.env.DB);
    const invitation = await sentPending(db, KINDS.INVITE, caller, c.req.valid("json").email);
    if (!(await markInvitationResent(db, invitation.id, nowIso()))) throw conflict("This invite is no longer pending");
    const recipient = { email: invitation.recipientEmail, hasAccount: invitation.recipientId !== null };
    await mailInvitation(db, c.env, "INVITE", caller, recipient, invitation.shareSince);
    return c.json(SUCCESS, 200);
  });
}
