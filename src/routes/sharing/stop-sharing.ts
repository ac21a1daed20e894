import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { shareChanged } from "../../changes/account";
import { getDb } from "../../db";
import { deleteShare } from "../../db/shares";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, notFound, notFoundResponse } from "../../lib/errors";
import { jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { NOT_SHARING, viewerByEmail } from "../../sharing/invitations";
import { EmailRequestSchema } from "./schemas";

const route = createRoute({
  method: "delete",
  path: "/v1/sharing",
  operationId: "sharingcontroller_stopsharing",
  tags: ["sharing"],
  summary: "Stop sharing your dashboard with a user",
  description:
    "Revokes, at once, the access of the viewer with `email` to the caller's dashboard; their next shared read is refused. A new invite or request may follow later. 404 when the caller is not sharing with that email.",
  security: BEARER,
  middleware: [requireUser],
  request: { body: jsonBody(EmailRequestSchema) },
  responses: {
    200: jsonResponse(StatusSuccessSchema, "Dashboard sharing stopped successfully"),
    ...errorResponses,
    ...notFoundResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const db = getDb(c.env.DB);
    const viewer = await viewerByEmail(db, c.req.valid("json").email);
    if (!(await deleteShare(db, c.get("user").id, viewer.id, nowIso()))) throw notFound(NOT_SHARING);
    await shareChanged(c.env, "delete", c.get("user").id, { id: viewer.id });
    return c.json(SUCCESS, 200);
  });
}
