import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { deleteExportJob, insertExportJob } from "../../db/export-jobs";
import { EXPORT_MESSAGE_KIND, type ExportJobMessage } from "../../exports/jobs";
import { planExport } from "../../exports/plan";
import { BEARER, type Router } from "../../http/router";
import {
  ApiError,
  errorResponses,
  forbiddenResponse,
  serviceUnavailable,
  serviceUnavailableResponse,
  tooManyRequestsResponse,
} from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonResponse } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { ExportQuerySchema, exportRequest } from "./export-schemas";

const route = createRoute({
  method: "post",
  path: "/v1/user/export/create",
  operationId: "usercontroller_createexport",
  tags: ["user"],
  summary: "Create an asynchronous export",
  description: `The same query as GET /v1/user/export, in the query string. Answers the job's id at once; the archive is built in the background into storage. Poll GET /v1/user/export/list until its status is COMPLETED (or FAILED, with a \`reason\`), then fetch GET /v1/user/export/{id}/result within ${LIMITS.exportRetentionDays} days. The shares are checked now (403 as for GET) and again when the job runs. At most ${LIMITS.exportConcurrentJobs} jobs IN_PROGRESS per user: one more answers 429 with \`Retry-After\`.`,
  security: BEARER,
  middleware: [requireUser],
  request: { query: ExportQuerySchema },
  responses: {
    201: jsonResponse(
      z
        .object({ id: z.string().openapi({ example: "4f1c2a8e-9b7d-4c1e-8a55-0d6e2f3b9a10" }) })
        .openapi("ExportCreated"),
      "Export created",
    ),
    ...errorResponses,
    ...forbiddenResponse,
    ...tooManyRequestsResponse,
    ...serviceUnavailableResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const request = exportRequest(c, c.req.valid("query"));
    const db = getDb(c.env.DB);
    await planExport(db, request);
    const id = crypto.randomUUID();
    const job = {
      id,
      userId: request.callerId,
      ...request,
      exportedUserIds: request.userIds.filter((u) => u !== request.callerId),
    };
    if (!(await insertExportJob(db, job, LIMITS.exportConcurrentJobs, nowIso()))) {
      throw new ApiError(
        "TOO_MANY_REQUESTS",
        `At most ${LIMITS.exportConcurrentJobs} exports may be in progress at once; try again when one has finished`,
        { "Retry-After": String(LIMITS.exportRetryAfterSeconds) },
      );
    }
    try {
      await c.env.EXPORT_QUEUE.send({ kind: EXPORT_MESSAGE_KIND, jobId: id } satisfies ExportJobMessage);
    } catch (error) {
      // Never a job that nothing will run: without its message the row goes, and the client may retry.
      await deleteExportJob(db, request.callerId, id);
      console.error(JSON.stringify({ event: "export_enqueue_failed", name: (error as Error).name }));
      throw serviceUnavailable("The export could not be queued; try again shortly");
    }
    return c.json({ id }, 201);
  });
}
