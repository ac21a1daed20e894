import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { listExportJobs } from "../../db/export-jobs";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonResponse } from "../../lib/schemas";
import { ExportJobSchema, toExportJobDto } from "./export-schemas";

const route = createRoute({
  method: "get",
  path: "/v1/user/export/list",
  operationId: "usercontroller_listexports",
  tags: ["user"],
  summary: "List exports",
  description: `The caller's export jobs, newest first (at most ${LIMITS.exportListMax}). A job's row is kept ${LIMITS.exportJobRowDays} days after it ended.`,
  security: BEARER,
  middleware: [requireUser],
  responses: { 200: jsonResponse(z.array(ExportJobSchema), "The caller's exports"), ...errorResponses },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const jobs = await listExportJobs(getDb(c.env.DB), c.get("user").id, LIMITS.exportListMax);
    return c.json(jobs.map(toExportJobDto), 200);
  });
}
