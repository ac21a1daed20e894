import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { listReceivedInvitations, listSentInvitations } from "../../db/invitations";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { SharingInviteSchema, toSharingInvite } from "./schemas";

const receivedRoute = createRoute({
  method: "get",
  path: "/v1/sharing/invites/received",
  operationId: "sharingcontroller_getreceivedinvites",
  tags: ["sharing"],
  summary: "Get all invites received by the user",
  description:
    "Invites other users sent to the caller's email (including those sent before the caller registered), every status, newest first.",
  security: BEARER,
  middleware: [requireUser],
  responses: {
    200: jsonResponse(z.array(SharingInviteSchema), "Returns all invites received by the user"),
    ...errorResponses,
  },
});

const sentRoute = createRoute({
  method: "get",
  path: "/v1/sharing/invites/sent",
  operationId: "sharingcontroller_getsentinvites",
  tags: ["sharing"],
  summary: "Get all invites sent by the user",
  description:
    "Invites the caller sent, every status, newest first; the same shape as invites/received. Not in the NOWATCH 0.9.0 reference (added for symmetry, see docs/sharing.md).",
  security: BEARER,
  middleware: [requireUser],
  responses: {
    200: jsonResponse(z.array(SharingInviteSchema), "Returns all invites sent by the user"),
    ...errorResponses,
  },
});

export default function mount(app: Router) {
  app.openapi(receivedRoute, async (c) => {
    const rows = await listReceivedInvitations(getDb(c.env.DB), "INVITE", c.get("user"));
    return c.json(rows.map(toSharingInvite), 200);
  });
  app.openapi(sentRoute, async (c) => {
    const rows = await listSentInvitations(getDb(c.env.DB), "INVITE", c.get("user").id);
    return c.json(rows.map(toSharingInvite), 200);
  });
}
