import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { recordAccountChanges } from "../../changes/account";
import { getDb } from "../../db";
import { listDashboards } from "../../db/dashboards";
import { updateActiveShare } from "../../db/shares";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, notFound, notFoundResponse } from "../../lib/errors";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import {
  CustomNameSchema,
  NO_SHARED_DASHBOARD,
  SharedDashboardSchema,
  SharerRequestSchema,
  toSharedDashboard,
} from "./schemas";

export const UpdateCustomRequestSchema = SharerRequestSchema.extend({
  customName: CustomNameSchema.openapi({ description: "The name the caller sees for this dashboard" }),
  iconColor: z
    .string()
    .regex(/^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$/, "must be a hex color such as #2F80ED")
    .openapi({ example: "#2F80ED" }),
}).openapi("SharedCustomRequest");

const route = createRoute({
  method: "post",
  path: "/v1/shared/custom",
  operationId: "sharedcontroller_updatecustom",
  tags: ["shared"],
  summary: "Update custom name and icon color for a shared dashboard",
  description:
    "Personalises how the dashboard of `userId` looks to the caller only; the sharer and other viewers are not affected. 404 when that user shares nothing with the caller.",
  security: BEARER,
  middleware: [requireUser],
  request: { body: jsonBody(UpdateCustomRequestSchema) },
  responses: {
    200: jsonResponse(SharedDashboardSchema, "The personalised dashboard"),
    ...errorResponses,
    ...notFoundResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { userId, customName, iconColor } = c.req.valid("json");
    const viewerId = c.get("user").id;
    const db = getDb(c.env.DB);
    const now = nowIso();
    if (!(await updateActiveShare(db, userId, viewerId, { customName, iconColor }, now))) {
      throw notFound(NO_SHARED_DASHBOARD);
    }
    const [dashboard] = await listDashboards(db, viewerId, now, userId);
    if (!dashboard) throw notFound(NO_SHARED_DASHBOARD);
    const answer = toSharedDashboard(dashboard);
    // The personalization is the viewer's alone: only their feed hears of it.
    await recordAccountChanges(c.env, [
      { userId: viewerId, change: { kind: "share", op: "upsert", id: userId, data: { userId, dashboard: answer } } },
    ]);
    return c.json(answer, 200);
  });
}
