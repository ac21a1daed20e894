import { createRoute } from "@hono/zod-openapi";
import { adminOnly } from "../../auth/middleware";
import { getDb } from "../../db";
import { findRelease, reportSummary } from "../../db/firmware";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse, notFound, notFoundResponse } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { AdminFirmwareDetailSchema, ReleaseIdParamSchema, toAdmin } from "../firmware/schemas";

/** Failures listed with their error text. */
const RECENT_FAILURES = 20;

const route = createRoute({
  method: "get",
  path: "/v1/admin/firmware/{id}",
  operationId: "adminfirmwarecontroller_get",
  tags: ["admin-firmware"],
  summary: "A firmware release with its report counts (admins only)",
  description: `The release, its failure rate (failures / (installs + failures)), the devices per outcome and hardware revision, and the ${RECENT_FAILURES} latest failures with their error text.`,
  security: BEARER,
  middleware: [...adminOnly],
  request: { params: ReleaseIdParamSchema },
  responses: {
    200: jsonResponse(AdminFirmwareDetailSchema, "The release"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const db = getDb(c.env.DB);
    const { id } = c.req.valid("param");
    const release = await findRelease(db, id);
    if (!release) throw notFound("No such firmware release");
    const summary = await reportSummary(db, id, RECENT_FAILURES);
    const outcomes = release.installs + release.failures;
    return c.json(
      {
        ...toAdmin(release),
        reports: {
          failureRatePercent: outcomes === 0 ? null : Math.round((release.failures / outcomes) * 10_000) / 100,
          ...summary,
        },
      },
      200,
    );
  });
}
