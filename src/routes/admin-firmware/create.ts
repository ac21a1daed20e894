import { createHash } from "node:crypto";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { adminOnly } from "../../auth/middleware";
import { getDb } from "../../db";
import { R2PartWriter } from "../../exports/part-writer";
import { objectKeyOf } from "../../firmware/storage";
import type { AppEnv } from "../../http/app-env";
import { MultipartError, multipartBoundary, readMultipart } from "../../http/multipart-stream";
import { BEARER, type Router } from "../../http/router";
import {
  ApiError,
  badRequest,
  conflictResponse,
  errorResponse,
  errorResponses,
  forbiddenResponse,
} from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonResponse } from "../../lib/schemas";
import { AdminFirmwareReleaseSchema, toAdmin } from "../firmware/schemas";
import { checkReceivedFields, metadataFromForm, ReleaseMetadataFields } from "./fields";
import { checkDigest, checkNewVersion, storeDraft } from "./store";

const PATH = "/v1/admin/firmware";
/** Room for the form's boundaries and text fields on top of the binary. */
const FORM_OVERHEAD = 1024 * 1024;
const MAX_MB = LIMITS.firmwareMaxBytes / 1_000_000;

const FormSchema = ReleaseMetadataFields.extend({
  hardware_revisions: z
    .string()
    .max(LIMITS.firmwareHardwareMax * (LIMITS.firmwareHardwareLength + 1))
    .openapi({ description: "Comma-separated, or the field repeated", example: "NW1-rev3,NW1-rev4" }),
  file: z.string().openapi({ format: "binary", description: `The binary, 1 byte to ${MAX_MB} MB` }),
}).openapi("FirmwareUploadForm");

/** A binary being streamed to FIRMWARE: the upload, its hash and its size so far. */
interface Receiving {
  writer: R2PartWriter;
  hash: ReturnType<typeof createHash>;
  bytes: number;
}

async function receive(c: Context<AppEnv>, id: string) {
  const boundary = multipartBoundary(c.req.header("content-type"));
  if (boundary === null) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "The body must be multipart/form-data with a boundary");
  }
  const declared = Number(c.req.header("content-length") ?? Number.NaN);
  if (declared > LIMITS.firmwareMaxBytes + FORM_OVERHEAD) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) throw badRequest("The body is empty");
  const fields = new Map<string, string[]>();
  let file: Receiving | null = null;
  try {
    for await (const part of readMultipart(body, boundary, {
      maxFieldBytes: LIMITS.firmwareFieldBytes,
      maxFields: 50,
      maxHeaderBytes: 8 * 1024,
    })) {
      if (part.name !== "file") {
        if (part.filename !== null) throw badRequest(`${part.name}: unexpected file; the binary goes in "file"`);
        fields.set(part.name, [...(fields.get(part.name) ?? []), await part.text()]);
        continue;
      }
      if (file) throw badRequest("file: only one binary per release");
      // Fields sent before the binary are checked before a byte of it is stored, the duplicate check included.
      const early = checkReceivedFields(fields);
      if (early.version && early.hardware_revisions) {
        await checkNewVersion(getDb(c.env.DB), early.version, early.hardware_revisions);
      }
      file = {
        writer: await R2PartWriter.start(c.env.FIRMWARE, objectKeyOf(id), {
          httpMetadata: { contentType: "application/octet-stream" },
        }),
        hash: createHash("sha256"),
        bytes: 0,
      };
      for await (const chunk of part.body) {
        file.bytes += chunk.length;
        if (file.bytes > LIMITS.firmwareMaxBytes) throw tooLarge();
        file.hash.update(chunk);
        await file.writer.write(chunk);
      }
    }
    return { metadata: metadataFromForm(fields), file };
  } catch (error) {
    await file?.writer.abort();
    if (error instanceof MultipartError) {
      throw error.status === 413 ? new ApiError("PAYLOAD_TOO_LARGE", error.message) : badRequest(error.message);
    }
    throw error;
  }
}

const tooLarge = () =>
  new ApiError(
    "PAYLOAD_TOO_LARGE",
    `The binary is larger than ${MAX_MB} MB; send it through an upload session (POST /v1/admin/firmware/uploads)`,
  );

export default function mount(app: Router) {
  app.openAPIRegistry.registerPath({
    method: "post",
    path: PATH,
    operationId: "adminfirmwarecontroller_create",
    tags: ["admin-firmware"],
    summary: "Create a firmware release (admins only)",
    description: `A multipart form: the release's fields (snake_case) and the binary in \`file\`, streamed to storage as it arrives (never held whole) with its SHA-256 computed on the way and checked against \`sha256\` when given. The release starts as a \`draft\`; PATCH publishes it. The binary is 1 byte to ${MAX_MB} MB (413 for an empty or larger one; larger binaries go through POST /v1/admin/firmware/uploads). 409 when the version already exists for one of the hardware revisions. Nothing is stored on any refusal. Audited.`,
    security: BEARER,
    request: { body: { required: true, content: { "multipart/form-data": { schema: FormSchema } } } },
    responses: {
      201: jsonResponse(AdminFirmwareReleaseSchema, "The new draft release"),
      ...errorResponses,
      ...forbiddenResponse,
      ...conflictResponse,
      415: errorResponse("The body is not multipart/form-data"),
    },
  });

  app.post(PATH, ...adminOnly, async (c) => {
    const db = getDb(c.env.DB);
    const admin = c.get("user");
    const id = crypto.randomUUID();
    const { metadata, file } = await receive(c, id);
    try {
      if (!file) throw badRequest("file: the binary is required");
      if (file.bytes === 0) throw new ApiError("PAYLOAD_TOO_LARGE", "file: the binary is empty");
      const sha256 = file.hash.digest("hex");
      checkDigest(metadata, sha256);
      await checkNewVersion(db, metadata.version, metadata.hardware_revisions);
      await file.writer.finish();
      const release = await storeDraft(db, c.env.FIRMWARE, admin, id, metadata, { sizeBytes: file.bytes, sha256 });
      return c.json(toAdmin(release), 201);
    } catch (error) {
      await file?.writer.abort();
      throw error;
    }
  });
}
