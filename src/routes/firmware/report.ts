import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { findRelease, hasReported, recordReport } from "../../db/firmware";
import { mayReport } from "../../firmware/policy";
import { BEARER, type Router } from "../../http/router";
import { badRequest, errorResponses, notFound, notFoundResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { ReleaseIdParamSchema, ReportBodySchema, ReportSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/firmware/{id}/report",
  operationId: "firmwarecontroller_report",
  tags: ["firmware"],
  summary: "Report a device's outcome with a release",
  description: `DOWNLOADED, INSTALLED or FAILED (with an optional \`error\`, cut to ${LIMITS.firmwareErrorLength} characters), for a hardware revision the release fits. A device counts once per outcome: a resent report updates its time and error. When failures reach the release's \`failure_threshold_percent\` of installs + failures, once there are at least \`min_reports\` of them, the release halts itself (no longer offered; recorded in the audit log). 404 for a release the caller was never offered.`,
  security: BEARER,
  middleware: [requireUser],
  request: { params: ReleaseIdParamSchema, body: jsonBody(ReportBodySchema) },
  responses: { 201: jsonResponse(ReportSchema, "Recorded"), ...errorResponses, ...notFoundResponse },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const db = getDb(c.env.DB);
    const user = c.get("user");
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const release = await findRelease(db, id);
    if (!release || !mayReport(release, user, await hasReported(db, id, user.id))) {
      throw notFound("No such firmware release");
    }
    if (!release.hardwareRevisions.includes(body.hardware_revision)) {
      throw badRequest(`hardware_revision: release ${release.version} does not fit ${body.hardware_revision}`);
    }
    const at = nowIso();
    const { halted } = await recordReport(db, {
      releaseId: id,
      userId: user.id,
      status: body.status,
      hardwareRevision: body.hardware_revision,
      error: body.error === undefined ? null : body.error.slice(0, LIMITS.firmwareErrorLength),
      at,
      haltAuditId: crypto.randomUUID(),
    });
    if (halted) {
      console.warn(JSON.stringify({ event: "firmware_auto_halt", releaseId: id, version: release.version }));
    }
    return c.json(
      { releaseId: id, status: body.status, hardwareRevision: body.hardware_revision, recordedAt: at },
      201,
    );
  });
}
