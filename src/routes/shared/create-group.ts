import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { insertGroup } from "../../db/groups";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { GroupNameRequestSchema, SharedGroupSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/shared/groups",
  operationId: "sharedcontroller_creategroup",
  tags: ["shared"],
  summary: "Create a new group",
  description:
    "Creates an empty group to organise the dashboards shared with the caller; add dashboards with PUT /v1/shared/groups/{groupId}/members.",
  security: BEARER,
  middleware: [requireUser],
  request: { body: jsonBody(GroupNameRequestSchema) },
  responses: { 201: jsonResponse(SharedGroupSchema, "The new group"), ...errorResponses },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const group = await insertGroup(getDb(c.env.DB), c.get("user").id, c.req.valid("json").name, nowIso());
    return c.json(
      { id: group.id, name: group.name, members: [], created: group.created, lastUpdated: group.lastUpdated },
      201,
    );
  });
}
