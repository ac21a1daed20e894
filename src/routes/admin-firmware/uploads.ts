import { createHash } from "node:crypto";
import { createRoute, z } from "@hono/zod-openapi";
import { adminOnly } from "../../auth/middleware";
import { type Db, getDb } from "../../db";
import { deleteUpload, findUpload, insertUpload, recordPart, uploadParts } from "../../db/firmware-uploads";
import type { FirmwareUpload } from "../../db/schema";
import { abortSession, objectKeyOf } from "../../firmware/storage";
import { BEARER, type Router } from "../../http/router";
import {
  ApiError,
  badRequest,
  conflict,
  conflictResponse,
  errorResponse,
  errorResponses,
  forbiddenResponse,
  notFound,
  notFoundResponse,
} from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonBody, jsonResponse, TimestampSchema } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { issueMessages } from "../../lib/validation";
import { AdminFirmwareReleaseSchema, toAdmin } from "../firmware/schemas";
import { type ReleaseMetadata, ReleaseMetadataFields, ReleaseMetadataSchema } from "./fields";
import { checkDigest, checkNewVersion, storeDraft } from "./store";

/**
 * Upload sessions for binaries larger than one request (docs/firmware.md "Large binaries"): an R2 multipart upload
 * at the future release's key. Each part is one PUT, streamed to R2 as it arrives; completing assembles the object,
 * reads it back once to compute its SHA-256 (never held whole), and stores the draft release.
 */

const MiB = 1024 * 1024;
/** R2's minimum part (all but the last), and the largest part a request can carry with room to spare. */
const MIN_PART = 5 * MiB;
const MAX_PART = 95 * MiB;
const DEFAULT_PART = 64 * MiB;
const SESSION_HOURS = 24;

const UploadIdParamSchema = z.object({
  id: z.string().max(100).openapi({ description: "The upload session's id (the future release's id)" }),
});

const CreateUploadSchema = ReleaseMetadataFields.extend({
  size: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.firmwareSessionMaxBytes)
    .openapi({ description: "Bytes of the whole binary", example: 300_000_000 }),
  part_size: z
    .number()
    .int()
    .min(MIN_PART)
    .max(MAX_PART)
    .default(DEFAULT_PART)
    .openapi({ description: "Bytes of every part but the last (5 MiB to 95 MiB)", example: DEFAULT_PART }),
}).openapi("FirmwareUploadCreate");

const UploadSessionSchema = z
  .object({
    id: z.string(),
    version: z.string(),
    size: z.number().int(),
    partSize: z.number().int(),
    partCount: z.number().int(),
    receivedParts: z.array(z.object({ partNumber: z.number().int(), size: z.number().int() })),
    createdAt: TimestampSchema,
    expiresAt: TimestampSchema,
  })
  .openapi("FirmwareUploadSession");

const PartSchema = z
  .object({ partNumber: z.number().int(), size: z.number().int(), etag: z.string() })
  .openapi("FirmwareUploadPart");

const createRouteDef = createRoute({
  method: "post",
  path: "/v1/admin/firmware/uploads",
  operationId: "adminfirmwarecontroller_createupload",
  tags: ["admin-firmware"],
  summary: "Start an upload session for a large firmware binary (admins only)",
  description: `For binaries over the ${LIMITS.firmwareMaxBytes / 1_000_000} MB of POST /v1/admin/firmware, up to ${LIMITS.firmwareSessionMaxBytes / MiB / 1024} GiB. The body holds the release's fields (as in the form) plus \`size\` and \`part_size\`; the answer says how many parts to PUT. 409 when the version already exists for one of the hardware revisions. The session expires after ${SESSION_HOURS} hours.`,
  security: BEARER,
  middleware: [...adminOnly],
  request: { body: jsonBody(CreateUploadSchema) },
  responses: {
    201: jsonResponse(UploadSessionSchema, "The session"),
    ...errorResponses,
    ...forbiddenResponse,
    ...conflictResponse,
  },
});

const getRouteDef = createRoute({
  method: "get",
  path: "/v1/admin/firmware/uploads/{id}",
  operationId: "adminfirmwarecontroller_getupload",
  tags: ["admin-firmware"],
  summary: "An upload session and the parts received so far (admins only)",
  description: "To resume an interrupted upload: PUT the parts that are missing.",
  security: BEARER,
  middleware: [...adminOnly],
  request: { params: UploadIdParamSchema },
  responses: {
    200: jsonResponse(UploadSessionSchema, "The session"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
  },
});

const partRouteDef = {
  method: "put" as const,
  path: "/v1/admin/firmware/uploads/{id}/parts/{partNumber}",
  operationId: "adminfirmwarecontroller_uploadpart",
  tags: ["admin-firmware"],
  summary: "Send one part of an upload session (admins only)",
  description:
    "The raw bytes of part `partNumber` (1 to partCount), streamed to storage as they arrive. `Content-Length` is required and must be the part's size: `partSize`, or the remainder for the last part (400 otherwise, 413 beyond it). A part sent again replaces the earlier one.",
  security: BEARER,
  request: {
    params: UploadIdParamSchema.extend({
      partNumber: z.string().max(6).openapi({ description: "1 to partCount", example: "1" }),
    }),
    body: {
      required: true,
      content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
    },
  },
  responses: {
    200: jsonResponse(PartSchema, "Received"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
    411: errorResponse("Content-Length is missing"),
  },
};

const completeRouteDef = createRoute({
  method: "post",
  path: "/v1/admin/firmware/uploads/{id}/complete",
  operationId: "adminfirmwarecontroller_completeupload",
  tags: ["admin-firmware"],
  summary: "Assemble an upload session into a draft release (admins only)",
  description:
    "Needs every part (409 naming the missing ones). The assembled binary is read back once to compute its SHA-256, checked against `sha256` when the session was given one (400 on a mismatch; the binary and the session are then discarded). Answers the draft release, as POST /v1/admin/firmware does. Audited.",
  security: BEARER,
  middleware: [...adminOnly],
  request: { params: UploadIdParamSchema },
  responses: {
    201: jsonResponse(AdminFirmwareReleaseSchema, "The new draft release"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
    ...conflictResponse,
  },
});

const abortRouteDef = createRoute({
  method: "delete",
  path: "/v1/admin/firmware/uploads/{id}",
  operationId: "adminfirmwarecontroller_abortupload",
  tags: ["admin-firmware"],
  summary: "Abandon an upload session (admins only)",
  description: "Discards the parts received and the session.",
  security: BEARER,
  middleware: [...adminOnly],
  request: { params: UploadIdParamSchema },
  responses: { 204: { description: "Abandoned" }, ...errorResponses, ...forbiddenResponse, ...notFoundResponse },
});

const NO_SESSION = "No such upload session";

async function liveSession(db: Db, id: string): Promise<FirmwareUpload> {
  const session = await findUpload(db, id);
  if (!session || session.expiresAt <= nowIso()) throw notFound(NO_SESSION);
  return session;
}

async function sessionView(db: Db, session: FirmwareUpload) {
  const parts = await uploadParts(db, session.id);
  const metadata = JSON.parse(session.metadata) as ReleaseMetadata;
  return {
    id: session.id,
    version: metadata.version,
    size: session.sizeBytes,
    partSize: session.partBytes,
    partCount: session.partCount,
    receivedParts: parts.map((p) => ({ partNumber: p.partNumber, size: p.sizeBytes })),
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
  };
}

const partSize = (session: FirmwareUpload, n: number) =>
  n < session.partCount ? session.partBytes : session.sizeBytes - (session.partCount - 1) * session.partBytes;

export default function mount(app: Router) {
  app.openapi(createRouteDef, async (c) => {
    const db = getDb(c.env.DB);
    const { size, part_size: partBytes, ...fields } = c.req.valid("json");
    const parsed = ReleaseMetadataSchema.safeParse(fields);
    if (!parsed.success) throw badRequest(issueMessages(parsed.error.issues));
    const metadata = parsed.data;
    await checkNewVersion(db, metadata.version, metadata.hardware_revisions);
    const partCount = Math.ceil(size / partBytes);
    if (partCount > 10_000) throw badRequest("part_size: more than 10,000 parts; use larger parts");
    const id = crypto.randomUUID();
    const upload = await c.env.FIRMWARE.createMultipartUpload(objectKeyOf(id), {
      httpMetadata: { contentType: "application/octet-stream" },
    });
    const now = new Date();
    const session: FirmwareUpload = {
      id,
      uploadId: upload.uploadId,
      metadata: JSON.stringify(metadata),
      sizeBytes: size,
      partBytes,
      partCount,
      createdBy: c.get("user").id,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString(),
    };
    try {
      await insertUpload(db, session);
    } catch (error) {
      await upload.abort();
      throw error;
    }
    return c.json(await sessionView(db, session), 201);
  });

  app.openapi(getRouteDef, async (c) => {
    const db = getDb(c.env.DB);
    return c.json(await sessionView(db, await liveSession(db, c.req.valid("param").id)), 200);
  });

  app.openAPIRegistry.registerPath(partRouteDef);
  app.put(partRouteDef.path.replace("{id}", ":id").replace("{partNumber}", ":partNumber"), ...adminOnly, async (c) => {
    const db = getDb(c.env.DB);
    const session = await liveSession(db, c.req.param("id") as string);
    const text = c.req.param("partNumber") as string;
    const n = /^[1-9]\d{0,5}$/.test(text) ? Number(text) : Number.NaN;
    if (!(n >= 1 && n <= session.partCount)) {
      throw badRequest(`partNumber: must be 1 to ${session.partCount}`);
    }
    const expected = partSize(session, n);
    const declared = c.req.header("content-length");
    if (declared === undefined) throw new ApiError("LENGTH_REQUIRED", "Content-Length is required for a part");
    const length = Number(declared);
    if (length > expected) throw new ApiError("PAYLOAD_TOO_LARGE", `Part ${n} is ${expected} bytes, not ${length}`);
    if (length !== expected || !c.req.raw.body) throw badRequest(`Part ${n} is ${expected} bytes, not ${length}`);
    const upload = c.env.FIRMWARE.resumeMultipartUpload(objectKeyOf(session.id), session.uploadId);
    const part = await upload.uploadPart(n, c.req.raw.body);
    await recordPart(db, session.id, n, part.etag, expected);
    return c.json({ partNumber: n, size: expected, etag: part.etag }, 200);
  });

  app.openapi(completeRouteDef, async (c) => {
    const db = getDb(c.env.DB);
    const session = await liveSession(db, c.req.valid("param").id);
    const parts = await uploadParts(db, session.id);
    const have = new Set(parts.map((p) => p.partNumber));
    const missing = Array.from({ length: session.partCount }, (_, i) => i + 1).filter((n) => !have.has(n));
    if (missing.length > 0) throw conflict(`Parts missing: ${missing.slice(0, 20).join(", ")}`);
    const metadata = JSON.parse(session.metadata) as ReleaseMetadata;
    await checkNewVersion(db, metadata.version, metadata.hardware_revisions);
    const upload = c.env.FIRMWARE.resumeMultipartUpload(objectKeyOf(session.id), session.uploadId);
    const object = await upload.complete(parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })));
    const discard = async () => {
      await c.env.FIRMWARE.delete(objectKeyOf(session.id));
      await deleteUpload(db, session.id);
    };
    // Read back once: the SHA-256 of what R2 holds, chunk by chunk.
    const stored = await c.env.FIRMWARE.get(objectKeyOf(session.id));
    if (!stored || object.size !== session.sizeBytes) {
      await discard();
      throw badRequest(`The assembled binary is ${object.size} bytes, not ${session.sizeBytes}`);
    }
    const hash = createHash("sha256");
    for await (const chunk of stored.body) hash.update(chunk);
    const sha256 = hash.digest("hex");
    try {
      checkDigest(metadata, sha256);
    } catch (error) {
      await discard();
      throw error;
    }
    const release = await storeDraft(db, c.env.FIRMWARE, c.get("user"), session.id, metadata, {
      sizeBytes: session.sizeBytes,
      sha256,
    });
    await deleteUpload(db, session.id);
    return c.json(toAdmin(release), 201);
  });

  app.openapi(abortRouteDef, async (c) => {
    const db = getDb(c.env.DB);
    const session = await findUpload(db, c.req.valid("param").id);
    if (!session) throw notFound(NO_SESSION);
    await abortSession(c.env.FIRMWARE, session);
    await deleteUpload(db, session.id);
    return c.body(null, 204);
  });
}
