import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { listDashboards } from "../../db/dashboards";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { SharedDashboardSchema, toSharedDashboard } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/shared",
  operationId: "sharedcontroller_getsharedwithme",
  tags: ["shared"],
  summary: "Get all dashboards shared with the user",
  description:
    "Every dashboard other users currently share with the caller (accepted, not revoked, not expired), newest share first, with the caller's personalisation and groups. Read one with the `shared-user` header on the data routes.",
  security: BEARER,
  middleware: [requireUser],
  responses: {
    200: jsonResponse(z.array(SharedDashboardSchema), "Returns information about dashboards shared with the user"),
    ...errorResponses,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const rows = await listDashboards(getDb(c.env.DB), c.get("user").id, nowIso());
    return c.json(rows.map(toSharedDashboard), 200);
  });
}
