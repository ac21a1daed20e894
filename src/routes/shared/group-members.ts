import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { addGroupMember, findGroup, removeGroupMember } from "../../db/groups";
import { findActiveShare } from "../../db/shares";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, notFound, notFoundResponse } from "../../lib/errors";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { GroupIdParamsSchema, NO_GROUP, NO_SHARED_DASHBOARD, SharedGroupSchema, SharerRequestSchema } from "./schemas";

/** Design operations (contract §10 leaves them open): put a shared dashboard in a group and take it out. */
const memberRoute = (method: "put" | "delete") =>
  createRoute({
    method,
    path: "/v1/shared/groups/{groupId}/members",
    operationId: method === "put" ? "sharedcontroller_addgroupmember" : "sharedcontroller_removegroupmember",
    tags: ["shared"],
    summary: method === "put" ? "Add a shared dashboard to a group" : "Remove a shared dashboard from a group",
    description:
      method === "put"
        ? "Puts the dashboard that `userId` shares with the caller into one of the caller's groups (idempotent). 404 for an unknown group or someone else's, or when that user shares nothing with the caller. Not in the NOWATCH 0.9.0 reference (see docs/sharing.md)."
        : "Takes the dashboard of `userId` out of one of the caller's groups; the share itself stays. 404 for an unknown group or someone else's, or when that dashboard is not in the group. Not in the NOWATCH 0.9.0 reference (see docs/sharing.md).",
    security: BEARER,
    middleware: [requireUser],
    request: { params: GroupIdParamsSchema, body: jsonBody(SharerRequestSchema) },
    responses: { 200: jsonResponse(SharedGroupSchema, "The group"), ...errorResponses, ...notFoundResponse },
  });

export default function mount(app: Router) {
  app.openapi(memberRoute("put"), async (c) => {
    const { groupId } = c.req.valid("param");
    const { userId: memberId } = c.req.valid("json");
    const userId = c.get("user").id;
    const db = getDb(c.env.DB);
    const now = nowIso();
    if (!(await findGroup(db, userId, groupId, now))) throw notFound(NO_GROUP);
    if (!(await findActiveShare(db, memberId, userId, new Date(now)))) throw notFound(NO_SHARED_DASHBOARD);
    await addGroupMember(db, userId, groupId, memberId, now);
    const group = await findGroup(db, userId, groupId, now);
    if (!group) throw notFound(NO_GROUP);
    return c.json(group, 200);
  });

  app.openapi(memberRoute("delete"), async (c) => {
    const { groupId } = c.req.valid("param");
    const { userId: memberId } = c.req.valid("json");
    const userId = c.get("user").id;
    const db = getDb(c.env.DB);
    const now = nowIso();
    if (!(await findGroup(db, userId, groupId, now))) throw notFound(NO_GROUP);
    if (!(await removeGroupMember(db, userId, groupId, memberId, now))) {
      throw notFound("This dashboard is not in the group");
    }
    const group = await findGroup(db, userId, groupId, now);
    if (!group) throw notFound(NO_GROUP);
    return c.json(group, 200);
  });
}
