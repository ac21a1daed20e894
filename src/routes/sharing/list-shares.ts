import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { listSharesByOwner } from "../../db/shares";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { ShareRecordSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/sharing",
  operationId: "sharingcontroller_getshared",
  tags: ["sharing"],
  summary: "Get all dashboards user is sharing",
  description:
    "Everyone who currently sees the caller's dashboard (accepted, not revoked, not expired), newest share first.",
  security: BEARER,
  middleware: [requireUser],
  responses: {
    200: jsonResponse(z.array(ShareRecordSchema), "Returns information about dashboards user is sharing"),
    ...errorResponses,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => c.json(await listSharesByOwner(getDb(c.env.DB), c.get("user").id, nowIso()), 200));
}
