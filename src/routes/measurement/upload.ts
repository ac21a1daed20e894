import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonResponse } from "../../lib/schemas";
import { nowSeconds } from "../../lib/time";
import { parseUpload } from "../../measurements/ingest/csv-upload";
import { storeUpload } from "../../measurements/ingest/store";
import { MeasurementTypeSchema, UploadSummarySchema } from "../../measurements/schemas";
import { ownDataOnly } from "../../sharing/read-scope";

export const UploadFormSchema = z
  .object({
    file: z
      .custom<File>((value) => value instanceof File, { message: "file must be a file part" })
      .openapi({
        type: "string",
        format: "binary",
        description:
          "The samples: a zip holding one CSV file, a gzip-compressed CSV, or plain CSV (detected by content)",
      }),
    type: MeasurementTypeSchema.openapi({ description: "The measurement type (table) the samples belong to" }),
  })
  .openapi("MeasurementUpload");

const route = createRoute({
  method: "post",
  path: "/v1/measurement/upload",
  operationId: "measurementcontroller_uploadv1",
  tags: ["measurement"],
  summary: "Upload measurements (zipped CSV)",
  description: `CSV rows \`datetime,value,quality_indicator\` (graph types: \`datetime,value\`), see docs/measurements.md. One upload may span many days (at most ${LIMITS.uploadMaxRows} rows). Atomic: one bad row stores nothing and the 400 names its line. Idempotent: a re-sent sample replaces the stored one at the same second. Advances the profile's \`lastSyncAt\` (at most once a minute).`,
  security: BEARER,
  middleware: [requireUser, ownDataOnly],
  request: { body: { required: true, content: { "multipart/form-data": { schema: UploadFormSchema } } } },
  responses: {
    201: jsonResponse(UploadSummarySchema, "What was stored"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { file, type } = c.req.valid("form");
    const upload = await parseUpload(type, new Uint8Array(await file.arrayBuffer()), nowSeconds());
    const stored = await storeUpload(c.env, c.get("user"), type, upload);
    return c.json(stored.summary, 201);
  });
}
