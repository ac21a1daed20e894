import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { findExportJob } from "../../db/export-jobs";
import { serveR2Object } from "../../http/r2-object";
import { BEARER, type Router } from "../../http/router";
import { ApiError, conflict, errorResponse, errorResponses, notFound, notFoundResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { archiveFilename, zipResponse } from "./export-schemas";

const route = createRoute({
  method: "get",
  path: "/v1/user/export/{id}/result",
  operationId: "usercontroller_exportresult",
  tags: ["user"],
  summary: "Download an export's archive",
  description: `The archive of a COMPLETED job of the caller, streamed from storage, with \`ETag\` and byte ranges (\`Range\`, \`If-Range\`: 206, 416) so an interrupted download resumes. 409 while the job is IN_PROGRESS or when it FAILED; 410 once the archive is past its ${LIMITS.exportRetentionDays}-day retention; 404 for an id that is not one of the caller's jobs.`,
  security: BEARER,
  middleware: [requireUser],
  request: {
    params: z.object({
      id: z.string().max(100).openapi({ description: "The job's id", example: "4f1c2a8e-9b7d-4c1e-8a55-0d6e2f3b9a10" }),
    }),
  },
  responses: {
    200: zipResponse("The archive"),
    206: zipResponse("The requested byte range of the archive"),
    304: { description: "Not modified (If-None-Match matched the ETag)" },
    ...errorResponses,
    ...notFoundResponse,
    409: errorResponse("The export is still in progress, or it failed"),
    410: errorResponse("The archive is past its retention period and was deleted"),
    416: errorResponse("The range lies outside the archive"),
  },
});

const NO_EXPORT = "No such export";

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const job = await findExportJob(getDb(c.env.DB), c.get("user").id, c.req.valid("param").id);
    if (!job) throw notFound(NO_EXPORT);
    if (job.status === "IN_PROGRESS") throw conflict("The export is still in progress; poll GET /v1/user/export/list");
    if (job.status === "FAILED")
      throw conflict(`The export failed: ${job.reason ?? "unknown reason"}; create a new one`);
    const gone = new ApiError("GONE", `The archive expired on ${job.expiresAt}; create a new export`);
    if (
      job.objectKey === null ||
      job.expiredAt !== null ||
      (job.expiresAt !== null && job.expiresAt <= new Date().toISOString())
    ) {
      throw gone;
    }
    const response = await serveR2Object(c.req.raw, c.env.EXPORTS, job.objectKey, {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${archiveFilename(job.startDay, job.endDay)}"`,
      "cache-control": "private, no-store",
    });
    if (response === null) throw gone;
    return response;
  });
}
