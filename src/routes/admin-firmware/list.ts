import { createRoute, z } from "@hono/zod-openapi";
import { adminOnly } from "../../auth/middleware";
import { getDb } from "../../db";
import { listReleases } from "../../db/firmware";
import { FIRMWARE_CHANNELS, FIRMWARE_STATUSES } from "../../db/schema";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { AdminFirmwareReleaseSchema, HardwareRevisionSchema, toAdmin } from "../firmware/schemas";
import { PageQuerySchema } from "../user/admin-all";

const route = createRoute({
  method: "get",
  path: "/v1/admin/firmware",
  operationId: "adminfirmwarecontroller_list",
  tags: ["admin-firmware"],
  summary: "List firmware releases (admins only)",
  description:
    "Every release in any status, newest first, with its counts; `status`, `channel` and `hardware_revision` filter; `limit` and `offset` page.",
  security: BEARER,
  middleware: [...adminOnly],
  request: {
    query: PageQuerySchema.extend({
      status: z.enum(FIRMWARE_STATUSES).optional(),
      channel: z.enum(FIRMWARE_CHANNELS).optional(),
      hardware_revision: HardwareRevisionSchema.optional(),
    }),
  },
  responses: {
    200: jsonResponse(z.array(AdminFirmwareReleaseSchema), "Releases"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const rows = await listReleases(getDb(c.env.DB), {
      status: q.status,
      channel: q.channel,
      hardwareRevision: q.hardware_revision,
      limit: q.limit,
      offset: q.offset,
    });
    return c.json(rows.map(toAdmin), 200);
  });
}
