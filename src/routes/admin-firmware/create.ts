import { createHash } from "node:crypto";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { adminOnly } from "../../auth/middleware";
import { getDb } from "../../db";
import { conflictingHardware, findRelease, insertRelease, isUniqueViolation } from "../../db/firmware";
import { R2PartWriter } from "../../exports/part-writer";
import { precedenceKey } from "../../firmware/semver";
import type { AppEnv } from "../../http/app-env";
import { MultipartError, multipartBoundary, readMultipart } from "../../http/multipart-stream";
import { BEARER, type Router } from "../../http/router";
import {
  ApiError,
  badRequest,
  conflict,
  conflictResponse,
  errorResponse,
  errorResponses,
  forbiddenResponse,
} from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonResponse } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { AdminFirmwareReleaseSchema, toAdmin } from "../firmware/schemas";
import { auditOf } from "./audit";
import { checkReceivedFields, metadataFromForm, ReleaseMetadataFields } from "./fields";

const PATH = "/v1/admin/firmware";
/** Room for the form's boundaries and text fields on top of the binary. */
const FORM_OVERHEAD = 1024 * 1024;
const MAX_MB = LIMITS.firmwareMaxBytes / 1_000_000;

export const objectKeyOf = (id: string) => `releases/${id}`;

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
        const taken = await conflictingHardware(
          getDb(c.env.DB),
          precedenceKey(early.version),
          early.hardware_revisions,
        );
        if (taken.length > 0) throw duplicate(early.version, taken);
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
      if (metadata.sha256 !== undefined && metadata.sha256 !== sha256) {
        throw badRequest(`sha256: the binary received has SHA-256 ${sha256}, not ${metadata.sha256}`);
      }
      const key = precedenceKey(metadata.version);
      const taken = await conflictingHardware(db, key, metadata.hardware_revisions);
      if (taken.length > 0) throw duplicate(metadata.version, taken);
      await file.writer.finish();
      const now = nowIso();
      const release = {
        id,
        version: metadata.version,
        channel: metadata.channel,
        status: "draft" as const,
        rolloutPercent: metadata.rollout_percent,
        failureThresholdPercent: metadata.failure_threshold_percent,
        minReports: metadata.min_reports,
        mandatory: metadata.mandatory,
        minVersion: metadata.min_version ?? null,
        notes: metadata.notes,
        sizeBytes: file.bytes,
        sha256,
        objectKey: objectKeyOf(id),
        createdBy: admin.id,
        createdAt: now,
        updatedAt: now,
      };
      const after = toAdmin({
        ...release,
        hardwareRevisions: metadata.hardware_revisions,
        downloads: 0,
        installs: 0,
        failures: 0,
        haltReason: null,
        publishedAt: null,
        haltedAt: null,
        retiredAt: null,
      });
      try {
        await insertRelease(
          db,
          release,
          metadata.hardware_revisions,
          key,
          auditOf(admin, "firmware.create", id, null, after, now),
        );
      } catch (error) {
        await c.env.FIRMWARE.delete(objectKeyOf(id));
        if (isUniqueViolation(error)) throw duplicate(metadata.version, metadata.hardware_revisions);
        throw error;
      }
      const stored = await findRelease(db, id);
      return c.json(stored ? toAdmin(stored) : after, 201);
    } catch (error) {
      await file?.writer.abort();
      throw error;
    }
  });
}

const duplicate = (version: string, revisions: readonly string[]) =>
  conflict(`Version ${version} already exists for ${revisions.join(", ")}`);
