import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { shareChanged } from "../../changes/account";
import { getDb } from "../../db";
import { deleteShare } from "../../db/shares";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, notFound, notFoundResponse } from "../../lib/errors";
import { jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { NO_SHARED_DASHBOARD, SharerRequestSchema } from "./schemas";

const route = createRoute({
  method: "delete",
  path: "/v1/shared",
  operationId: "sharedcontroller_deleteshared",
  tags: ["shared"],
  summary: "Delete a shared dashboard",
  description:
    "Removes the dashboard of `userId` (the sharer) from the caller's list and ends the caller's access at once; it also leaves the caller's groups. The owner is not notified. 404 when that user shares nothing with the caller.",
  security: BEARER,
  middleware: [requireUser],
  request: { body: jsonBody(SharerRequestSchema) },
  responses: {
    200: jsonResponse(StatusSuccessSchema, "Shared dashboard removed"),
    ...errorResponses,
    ...notFoundResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const ownerId = c.req.valid("json").userId;
    const removed = await deleteShare(getDb(c.env.DB), ownerId, c.get("user").id, nowIso());
    if (!removed) throw notFound(NO_SHARED_DASHBOARD);
    await shareChanged(c.env, "delete", c.get("user").id, { id: ownerId });
    return c.json(SUCCESS, 200);
  });
}
