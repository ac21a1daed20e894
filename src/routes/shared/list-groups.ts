import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { listGroups } from "../../db/groups";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { SharedGroupSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/shared/groups",
  operationId: "sharedcontroller_getgroupsownedbyuser",
  tags: ["shared"],
  summary: "Get all groups owned by the user",
  description:
    "The caller's groups, oldest first, each with `members`: the user ids of the sharers whose dashboards are in it (only shares that are still active).",
  security: BEARER,
  middleware: [requireUser],
  responses: { 200: jsonResponse(z.array(SharedGroupSchema), "The caller's groups"), ...errorResponses },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => c.json(await listGroups(getDb(c.env.DB), c.get("user").id, nowIso()), 200));
}
