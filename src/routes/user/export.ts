import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { buildArchive } from "../../exports/archive";
import { planExport } from "../../exports/plan";
import { storeSource } from "../../exports/store-source";
import { generatorStream } from "../../exports/stream";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { archiveFilename, ExportQuerySchema, exportRequest, zipResponse } from "./export-schemas";

const route = createRoute({
  method: "get",
  path: "/v1/user/export",
  operationId: "usercontroller_export",
  tags: ["user"],
  summary: "Export data (streamed ZIP)",
  description: `Streams a ZIP of the caller's data over start_day..end_day (UTC days, at most ${LIMITS.rangeDays}), and of each \`encryptedUserIds\` user who shares with the caller, cut at the share's \`sharedSince\` and types. One file per type in the upload's CSV format (or NDJSON, or a FHIR R4 bundle), records and statistics as JSON, the profile and settings, and a \`manifest.json\` with counts and the SHA-256 of every file (docs/exports.md). Any \`encryptedUserIds\` entry that does not share with the caller refuses the whole request with 403. Built while it is sent: a failure after the first byte truncates the download.`,
  security: BEARER,
  middleware: [requireUser],
  request: { query: ExportQuerySchema },
  responses: {
    200: zipResponse("Stream file download"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const request = exportRequest(c, c.req.valid("query"));
    const db = getDb(c.env.DB);
    const plan = await planExport(db, request);
    const archive = buildArchive(plan, storeSource(c.env, db), { generatedAt: new Date(), path: c.req.path });
    const body = generatorStream(archive, (error) =>
      console.error(
        JSON.stringify({ event: "export_stream_failed", requestId: c.get("requestId"), name: (error as Error).name }),
      ),
    );
    return c.body(body, 200, {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${archiveFilename(request.startDay, request.endDay)}"`,
      "cache-control": "no-store",
    });
  });
}
