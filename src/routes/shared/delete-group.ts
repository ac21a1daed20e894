import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { deleteGroup } from "../../db/groups";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, notFound, notFoundResponse } from "../../lib/errors";
import { jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { GroupIdParamsSchema, NO_GROUP } from "./schemas";

const route = createRoute({
  method: "delete",
  path: "/v1/shared/groups/{groupId}",
  operationId: "sharedcontroller_deletegroup",
  tags: ["shared"],
  summary: "Delete a group",
  description:
    "Deletes one of the caller's groups. The shares themselves are untouched; only the grouping goes. 404 for an unknown group or someone else's.",
  security: BEARER,
  middleware: [requireUser],
  request: { params: GroupIdParamsSchema },
  responses: { 200: jsonResponse(StatusSuccessSchema, "Group deleted"), ...errorResponses, ...notFoundResponse },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    if (!(await deleteGroup(getDb(c.env.DB), c.get("user").id, c.req.valid("param").groupId))) {
      throw notFound(NO_GROUP);
    }
    return c.json(SUCCESS, 200);
  });
}
