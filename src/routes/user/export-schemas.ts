import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { EXPORT_STATUSES, type ExportJob } from "../../db/schema";
import type { ExportRequest } from "../../exports/plan";
import { EXPORT_FORMATS, EXPORT_TYPES, resolveExportTypes } from "../../exports/types";
import type { AppEnv } from "../../http/app-env";
import { badRequest } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { DayRangeQuerySchema, TimestampSchema } from "../../lib/schemas";

/** The four export operations of contract §3 share one query and one job shape (docs/exports.md). */

/** A list parameter: repeated, comma-separated, or both (the parse in `exportRequest` reads the raw values). */
const listParameter = (description: string, items: { type: "string"; enum?: string[] }, example: string[]) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ type: "array", items, description, example });

export const ExportQuerySchema = DayRangeQuerySchema.safeExtend({
  types: listParameter(
    "Export types, repeated (`types=A&types=B`) or comma-separated; all types when omitted. The data-type names of the other routes (`HEART_RATE`, `SESSIONS`, `SLEEP_DURATION`, `STATISTICS`, `PROFILE`) are accepted too (docs/exports.md).",
    { type: "string", enum: [...EXPORT_TYPES] },
    ["TIMELINE_TIME-SERIES_HEART-RATE"],
  ),
  encryptedUserIds: listParameter(
    `Ids of other users to include (at most ${LIMITS.exportUsers}), repeated or comma-separated. Each must share with the caller, else the whole request is refused with 403.`,
    { type: "string" },
    ["uid_1234"],
  ),
  format: z
    .preprocess((v) => (typeof v === "string" ? v.toLowerCase() : v), z.enum(EXPORT_FORMATS))
    .optional()
    .openapi({
      type: "string",
      enum: [...EXPORT_FORMATS],
      description:
        "`csv` (default: one upload-format CSV per measurement type), `ndjson` (one JSON line per sample or record) or `fhir` (an R4 Bundle of LOINC-coded Observations)",
      example: "csv",
    }),
});

type ExportQuery = z.infer<typeof ExportQuerySchema>;

/** All values of a list parameter: `name=a&name=b`, `name=a,b` and the `name[]=a` form of form encoders. */
function listValues(c: Context<AppEnv>, name: string, parsed: string | string[] | undefined): string[] {
  const raw = [...(Array.isArray(parsed) ? parsed : parsed === undefined ? [] : [parsed])];
  raw.push(...(c.req.queries(`${name}[]`) ?? []));
  return raw.flatMap((value) => value.split(",")).map((value) => value.trim());
}

/** The validated query as an export request of the caller; unknown types and oversized id lists answer 400. */
export function exportRequest(c: Context<AppEnv>, query: ExportQuery): ExportRequest {
  const { types, unknown } = resolveExportTypes(listValues(c, "types", query.types));
  if (unknown.length > 0) {
    const named = unknown.slice(0, 5).map((name) => JSON.stringify(name.slice(0, 60)));
    throw badRequest(`unknown export type ${named.join(", ")}; expected one of ${EXPORT_TYPES.join(", ")}`);
  }
  const userIds = [...new Set(listValues(c, "encryptedUserIds", query.encryptedUserIds).filter((id) => id !== ""))];
  if (userIds.length > LIMITS.exportUsers) {
    throw badRequest(`encryptedUserIds must name at most ${LIMITS.exportUsers} users`);
  }
  if (userIds.some((id) => id.length > 200)) throw badRequest("encryptedUserIds entries must be user ids");
  return {
    callerId: c.get("user").id,
    startDay: query.start_day,
    endDay: query.end_day,
    types,
    userIds,
    format: query.format ?? "csv",
  };
}

export const ExportJobSchema = z
  .object({
    id: z.string().openapi({ example: "4f1c2a8e-9b7d-4c1e-8a55-0d6e2f3b9a10" }),
    userId: z.string().openapi({ example: "uid_69954cbc5ef58c2b4a140903bceed6c0" }),
    status: z.enum(EXPORT_STATUSES).openapi({ example: "IN_PROGRESS" }),
    types: z.array(z.string()).openapi({ example: ["TIMELINE_TIME-SERIES_HEART-RATE"] }),
    exportedUserIds: z.array(z.string()).openapi({
      description: "The other users whose data was asked for (the caller's own data is always included)",
      example: ["uid_1234"],
    }),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    startDay: z.string().openapi({ description: "Beyond the contract: the first day", example: "2025-01-01" }),
    endDay: z.string().openapi({ description: "Beyond the contract: the last day", example: "2025-01-31" }),
    format: z.enum(EXPORT_FORMATS).openapi({ description: "Beyond the contract", example: "csv" }),
    sizeBytes: z.number().int().nullable().openapi({ description: "The archive's size once COMPLETED" }),
    sha256: z.string().nullable().openapi({ description: "SHA-256 (hex) of the archive once COMPLETED" }),
    reason: z.string().nullable().openapi({ description: "Why the job FAILED", example: null }),
    expiresAt: TimestampSchema.nullable().openapi({
      description: `When the archive is deleted (${LIMITS.exportRetentionDays} days after completion); its result then answers 410`,
    }),
  })
  .openapi("ExportJob");

export type ExportJobDto = z.infer<typeof ExportJobSchema>;

export function toExportJobDto(job: ExportJob): ExportJobDto {
  return {
    id: job.id,
    userId: job.userId,
    status: job.status,
    types: JSON.parse(job.types),
    exportedUserIds: JSON.parse(job.exportedUserIds),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    startDay: job.startDay,
    endDay: job.endDay,
    format: job.format as ExportJobDto["format"],
    sizeBytes: job.sizeBytes,
    sha256: job.sha256,
    reason: job.reason,
    expiresAt: job.expiresAt,
  };
}

/** `nowatch-export-2025-01-01-2025-01-31.zip`: a filename with nothing to quote. */
export const archiveFilename = (startDay: string, endDay: string) => `nowatch-export-${startDay}-${endDay}.zip`;

/** The archive as a response body, for the OpenAPI document. */
export const zipResponse = (description: string) => ({
  description,
  headers: z.object({
    "Content-Disposition": z
      .string()
      .openapi({ example: 'attachment; filename="nowatch-export-2025-01-01-2025-01-31.zip"' }),
  }),
  content: { "application/zip": { schema: z.string().openapi({ type: "string", format: "binary" }) } },
});
