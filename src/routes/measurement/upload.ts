import { z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { MultipartError, multipartBoundary, readMultipart } from "../../http/multipart-stream";
import { BEARER, type Router } from "../../http/router";
import { ApiError, badRequest, errorResponse, errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonResponse } from "../../lib/schemas";
import { nowSeconds } from "../../lib/time";
import { issueMessages } from "../../lib/validation";
import type { AccumulatedUpload } from "../../measurements/accumulator";
import { collectBytes } from "../../measurements/archive-stream";
import { parseUpload, parseUploadStream } from "../../measurements/ingest/csv-upload";
import { storeUpload } from "../../measurements/ingest/store";
import { MeasurementTypeSchema, UploadSummarySchema } from "../../measurements/schemas";
import type { MeasurementType } from "../../measurements/types";
import { ownDataOnly } from "../../sharing/read-scope";

const PATH = "/v1/measurement/upload";

/**
 * The body, as documented. The route reads it with the streaming multipart reader instead of validating it whole, so
 * the file is inflated and parsed as it arrives (docs/measurements.md "Streaming"); its checks give the same 400s,
 * naming the field.
 */
export const UploadFormSchema = z
  .object({
    file: z.string().openapi({
      format: "binary",
      description: "The samples: a zip holding one CSV file, a gzip-compressed CSV, or plain CSV (detected by content)",
    }),
    type: MeasurementTypeSchema.openapi({
      description: "The measurement type (table) the samples belong to; sent before `file`, the file streams",
    }),
  })
  .openapi("MeasurementUpload");

const tooLarge = () => new ApiError("PAYLOAD_TOO_LARGE", `Request body is larger than ${LIMITS.uploadBodyBytes} bytes`);

/** The request body, refused with 413 once it passes the upload cap (whether or not it declared its length). */
function capped(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.length;
        if (seen > LIMITS.uploadBodyBytes) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
}

function measurementType(text: string): MeasurementType {
  const parsed = MeasurementTypeSchema.safeParse(text);
  if (!parsed.success) throw badRequest(issueMessages(parsed.error.issues.map((i) => ({ ...i, path: ["type"] }))));
  return parsed.data;
}

/**
 * Reads the form part by part. With `type` first (as phones and curl send it) the file is parsed as it streams in;
 * a file before its type is held, compressed, until the type arrives, and parsed then.
 */
export async function readUpload(
  request: Request,
  now: number,
): Promise<{ type: MeasurementType; upload: AccumulatedUpload }> {
  const boundary = multipartBoundary(request.headers.get("content-type"));
  if (boundary === null) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "The body must be multipart/form-data with a boundary");
  }
  if (Number(request.headers.get("content-length") ?? Number.NaN) > LIMITS.uploadBodyBytes) throw tooLarge();
  if (!request.body) throw badRequest(["type: a measurement type is required", "file: a file part is required"]);
  let type: MeasurementType | undefined;
  let upload: AccumulatedUpload | undefined;
  let held: Uint8Array | undefined;
  try {
    for await (const part of readMultipart(capped(request.body), boundary, {
      maxFieldBytes: 1024,
      maxFields: 20,
      maxHeaderBytes: 8 * 1024,
    })) {
      if (part.name === "type") {
        type = measurementType(await part.text());
      } else if (part.name === "file") {
        if (part.filename === null) throw badRequest("file: file must be a file part");
        if (upload || held) throw badRequest("file: one file per upload");
        if (type) upload = await parseUploadStream(type, part.body, now);
        else held = await collectBytes(part.body);
      }
    }
  } catch (error) {
    if (error instanceof MultipartError) {
      throw error.status === 413 ? tooLarge() : badRequest(error.message);
    }
    throw error;
  }
  if (!type) throw badRequest("type: a measurement type is required");
  if (!upload) {
    if (!held) throw badRequest("file: a file part is required");
    upload = await parseUpload(type, held, now);
  }
  return { type, upload };
}

export default function mount(app: Router) {
  app.openAPIRegistry.registerPath({
    method: "post",
    path: PATH,
    operationId: "measurementcontroller_uploadv1",
    tags: ["measurement"],
    summary: "Upload measurements (zipped CSV)",
    description: `CSV rows \`datetime,value,quality_indicator\` (graph types: \`datetime,value\`), see docs/measurements.md. One upload may span many days (at most ${LIMITS.uploadMaxRows} rows, ${LIMITS.uploadBodyBytes} bytes as sent). The file is inflated and parsed as it arrives when \`type\` comes before \`file\`. Atomic: one bad row stores nothing and the 400 names its line. Idempotent: a re-sent sample replaces the stored one at the same second. Advances the profile's \`lastSyncAt\` (at most once a minute).`,
    security: BEARER,
    request: { body: { required: true, content: { "multipart/form-data": { schema: UploadFormSchema } } } },
    responses: {
      201: jsonResponse(UploadSummarySchema, "What was stored"),
      ...errorResponses,
      ...forbiddenResponse,
      415: errorResponse("The body is not multipart/form-data"),
    },
  });

  app.post(PATH, requireUser, ownDataOnly, async (c) => {
    const { type, upload } = await readUpload(c.req.raw, nowSeconds());
    const stored = await storeUpload(c.env, c.get("user"), type, upload);
    return c.json(stored.summary, 201);
  });
}
