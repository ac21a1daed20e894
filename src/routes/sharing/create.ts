import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { shareChanged } from "../../changes/account";
import { getDb } from "../../db";
import { insertInvitation, roles } from "../../db/invitations";
import { findActiveShare } from "../../db/shares";
import { findUserByEmail, normalizeEmail } from "../../db/users";
import { BEARER, type Router } from "../../http/router";
import { badRequest, conflict, conflictResponse, errorResponses, unverifiedEmailResponse } from "../../lib/errors";
import { EmailSchema, jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { nowIso, toIso } from "../../lib/time";
import { mailInvitation } from "../../sharing/invitation-mail";
import { KINDS, type KindInfo, requireVerifiedEmail } from "../../sharing/invitations";
import { limitsFromBody, ShareLimitsFields, ShareSinceSchema } from "./schemas";

export const InviteRequestSchema = z
  .object({
    email: EmailSchema.openapi({ description: "User to share with" }),
    shareSince: ShareSinceSchema,
    ...ShareLimitsFields,
  })
  .openapi("SharingInviteRequest");

export const AccessRequestSchema = z
  .object({ email: EmailSchema.openapi({ description: "User to request from" }), shareSince: ShareSinceSchema })
  .openapi("SharingAccessRequest");

const DESCRIPTIONS = {
  INVITE:
    "Invites the user with this email to see the caller's dashboard from `shareSince` on, optionally limited to `types` and until `expiresAt`. They get an email telling them how to accept. An email without an account yet is fine: the invite waits until someone registers with it. 400 for the caller's own email; 409 when an invite to this email is already pending (resend it) or they already see the dashboard.",
  REQUEST:
    "Asks the user with this email for access to their dashboard from `shareSince` on; they get an email and accept (choosing `types` and `expiresAt`) or reject. As with invites, an email without an account waits for its registration. 400 for the caller's own email; 409 when a request to this email is already pending or the caller already sees that dashboard.",
};

const createInvitationRoute = (info: KindInfo) =>
  createRoute({
    method: "post",
    path: `/v1/sharing/${info.path}`,
    operationId: info.kind === "INVITE" ? "sharingcontroller_createinvite" : "sharingcontroller_createrequest",
    tags: ["sharing"],
    summary: info.kind === "INVITE" ? "Share your dashboard data with a user" : "Request access to a user's dashboard",
    description: DESCRIPTIONS[info.kind],
    security: BEARER,
    middleware: [requireUser],
    request: { body: jsonBody(info.kind === "INVITE" ? InviteRequestSchema : AccessRequestSchema) },
    responses: {
      201: jsonResponse(
        StatusSuccessSchema,
        info.kind === "INVITE" ? "Invite sent successfully" : "Request sent successfully",
      ),
      ...errorResponses,
      ...unverifiedEmailResponse,
      ...conflictResponse,
    },
  });

export default function mount(app: Router) {
  for (const info of [KINDS.INVITE, KINDS.REQUEST]) {
    app.openapi(createInvitationRoute(info), async (c) => {
      const body: z.infer<typeof InviteRequestSchema> = c.req.valid("json");
      const caller = c.get("user");
      requireVerifiedEmail(caller);
      const email = normalizeEmail(body.email);
      if (email === caller.email) {
        throw badRequest(
          info.kind === "INVITE" ? "You cannot invite yourself" : "You cannot request your own dashboard",
        );
      }
      const db = getDb(c.env.DB);
      const recipient = await findUserByEmail(db, email);
      if (recipient) {
        const { ownerId, viewerId } = roles(info.kind, caller.id, recipient.id);
        if (await findActiveShare(db, ownerId, viewerId)) {
          throw conflict(
            info.kind === "INVITE" ? "This user already sees your dashboard" : "You already see this user's dashboard",
          );
        }
      }
      const shareSince = toIso(body.shareSince);
      const created = await insertInvitation(
        db,
        {
          kind: info.kind,
          senderId: caller.id,
          recipientEmail: email,
          recipientId: recipient?.id ?? null,
          shareSince,
          types: null,
          expiresAt: null,
          ...limitsFromBody(body),
        },
        nowIso(),
      );
      if (!created) {
        throw conflict(
          info.kind === "INVITE"
            ? "An invite to this email is already pending: resend it with PUT /v1/sharing/invite/resend"
            : "A request to this email is already pending",
        );
      }
      await mailInvitation(db, c.env, info.kind, caller, { email, hasAccount: recipient !== undefined }, shareSince);
      await shareChanged(c.env, "upsert", caller.id, recipient ? { id: recipient.id } : { invitationId: created.id });
      return c.json(SUCCESS, 201);
    });
  }
}
