import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { sha256Hex } from "../../lib/encoding";
import { conflict, conflictResponse, errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { nowSeconds } from "../../lib/time";
import { accumulateBatch, BATCH_DATETIME_RULE, BATCH_QUALITY_RULE } from "../../measurements/ingest/batch";
import { storeUpload, storeUploadWithKey } from "../../measurements/ingest/store";
import { MeasurementTypeSchema, UploadSummarySchema } from "../../measurements/schemas";
import { COLUMN_SPECS, MAX_QUALITY, MIN_DATETIME } from "../../measurements/types";
import { ownDataOnly } from "../../sharing/read-scope";

/**
 * Static outer bounds, so the document carries them and an absurd number (1e308) never reaches the per-sample checks
 * of `accumulateBatch`, which apply the precise rules shared with the CSV upload (src/measurements/sample-rules.ts).
 */
const LATEST_DATETIME = 4_102_444_800; // 2100-01-01T00:00:00Z
const Datetime = z
  .number()
  .int(BATCH_DATETIME_RULE)
  .min(MIN_DATETIME, BATCH_DATETIME_RULE)
  .max(LATEST_DATETIME, BATCH_DATETIME_RULE);
const specs = Object.values(COLUMN_SPECS);
const VALUE_MIN = Math.min(...specs.map((spec) => spec.min));
const VALUE_MAX = Math.max(...specs.map((spec) => spec.max));
const VALUE_RULE = `must be a number from ${VALUE_MIN} to ${VALUE_MAX}, within the type's own range`;
const Value = z.number().min(VALUE_MIN, VALUE_RULE).max(VALUE_MAX, VALUE_RULE);
const Quality = z.number().int(BATCH_QUALITY_RULE).min(0, BATCH_QUALITY_RULE).max(MAX_QUALITY, BATCH_QUALITY_RULE);
const column = <T extends z.ZodType>(item: T) => z.array(item).max(LIMITS.batchMaxSamples);

export const MeasurementBatchSchema = z
  .object({
    type: MeasurementTypeSchema,
    datetimes: column(Datetime)
      .optional()
      .openapi({ description: "Unix seconds of each sample (or give start + interval)" }),
    start: Datetime.optional().openapi({ description: "Unix seconds of the first sample", example: 1754697600 }),
    interval: z
      .number()
      .int()
      .min(1)
      .max(86_400)
      .optional()
      .openapi({ description: "Seconds between samples after `start` (default 1)", example: 1 }),
    values: column(Value)
      .min(1)
      .openapi({ example: [75, 76, 76] }),
    quality: column(Quality)
      .optional()
      .openapi({ description: "Quality 0-4 per sample; required for types with a quality column", example: [4, 4, 3] }),
  })
  .openapi("MeasurementBatch");

const route = createRoute({
  method: "post",
  path: "/v1/measurement",
  operationId: "measurementcontroller_batchv1",
  tags: ["measurement"],
  summary: "Store a batch of samples (real-time sync)",
  description: `Columnar JSON for real-time sync: \`values\` (and \`quality\`) with either \`datetimes\` or \`start\` + \`interval\`; at most ${LIMITS.batchMaxSamples} samples. Same rules and merge as the CSV upload. With an \`Idempotency-Key\` header, a retry with the same key and body within 24 hours answers the first answer again and stores nothing twice (header \`idempotent-replayed: true\`); the same key with a different body is refused with 409.`,
  security: BEARER,
  middleware: [requireUser, ownDataOnly],
  request: {
    headers: z.object({
      "idempotency-key": z
        .string()
        .regex(/^[\x21-\x7e]{1,255}$/, "Idempotency-Key must be 1-255 visible ASCII characters")
        .optional()
        .openapi({
          description: "A unique key per logical write, e.g. a UUID",
          example: "9b3e1f0c-2d4a-4f5e-8c6b-7a8d9e0f1a2b",
        }),
    }),
    body: jsonBody(MeasurementBatchSchema),
  },
  responses: {
    201: jsonResponse(UploadSummarySchema, "What was stored (or, for a replayed key, the first answer)"),
    ...errorResponses,
    ...forbiddenResponse,
    ...conflictResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const batch = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const upload = accumulateBatch(batch, nowSeconds()).finish();
    const user = c.get("user");
    const outcome = key
      ? await storeUploadWithKey(c.env, user, batch.type, upload, {
          key,
          requestHash: await sha256Hex(JSON.stringify(batch)),
        })
      : await storeUpload(c.env, user, batch.type, upload);
    if (outcome.outcome === "key_mismatch") throw conflict("Idempotency-Key was already used with a different request");
    if (outcome.outcome === "replayed") c.header("idempotent-replayed", "true");
    return c.json(outcome.summary, 201);
  });
}
