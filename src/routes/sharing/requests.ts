import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { listReceivedInvitations, listSentInvitations } from "../../db/invitations";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { SharingRequestSchema, toSharingRequest } from "./schemas";

const sentRoute = createRoute({
  method: "get",
  path: "/v1/sharing/requests/sent",
  operationId: "sharingcontroller_getsentrequests",
  tags: ["sharing"],
  summary: "Get all sharing requests sent by the user",
  description: "Requests the caller sent asking to see others' dashboards, every status, newest first.",
  security: BEARER,
  middleware: [requireUser],
  responses: {
    200: jsonResponse(z.array(SharingRequestSchema), "Returns all sharing requests sent by the user"),
    ...errorResponses,
  },
});

const receivedRoute = createRoute({
  method: "get",
  path: "/v1/sharing/requests/received",
  operationId: "sharingcontroller_getreceivedrequests",
  tags: ["sharing"],
  summary: "Get all sharing requests received by the user",
  description:
    "Requests from others asking to see the caller's dashboard (including those sent before the caller registered), every status, newest first; the same shape as requests/sent.",
  security: BEARER,
  middleware: [requireUser],
  responses: {
    200: jsonResponse(z.array(SharingRequestSchema), "Returns all sharing requests received by the user"),
    ...errorResponses,
  },
});

export default function mount(app: Router) {
  app.openapi(sentRoute, async (c) => {
    const rows = await listSentInvitations(getDb(c.env.DB), "REQUEST", c.get("user").id);
    return c.json(rows.map(toSharingRequest), 200);
  });
  app.openapi(receivedRoute, async (c) => {
    const rows = await listReceivedInvitations(getDb(c.env.DB), "REQUEST", c.get("user"));
    return c.json(rows.map(toSharingRequest), 200);
  });
}
