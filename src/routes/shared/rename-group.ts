import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { findGroup, renameGroup } from "../../db/groups";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, notFound, notFoundResponse } from "../../lib/errors";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { GroupIdParamsSchema, GroupNameRequestSchema, NO_GROUP, SharedGroupSchema } from "./schemas";

const route = createRoute({
  method: "patch",
  path: "/v1/shared/groups/{groupId}",
  operationId: "sharedcontroller_renamegroup",
  tags: ["shared"],
  summary: "Rename a group",
  description: "Renames one of the caller's groups. 404 for an unknown group or someone else's.",
  security: BEARER,
  middleware: [requireUser],
  request: { params: GroupIdParamsSchema, body: jsonBody(GroupNameRequestSchema) },
  responses: { 200: jsonResponse(SharedGroupSchema, "The renamed group"), ...errorResponses, ...notFoundResponse },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { groupId } = c.req.valid("param");
    const userId = c.get("user").id;
    const db = getDb(c.env.DB);
    const now = nowIso();
    if (!(await renameGroup(db, userId, groupId, c.req.valid("json").name, now))) throw notFound(NO_GROUP);
    const group = await findGroup(db, userId, groupId, now);
    if (!group) throw notFound(NO_GROUP);
    return c.json(group, 200);
  });
}
