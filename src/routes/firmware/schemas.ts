import { z } from "@hono/zod-openapi";
import type { ReleaseRow } from "../../db/firmware";
import { FIRMWARE_CHANNELS, FIRMWARE_REPORT_STATUSES, FIRMWARE_STATUSES } from "../../db/schema";
import { isSemver, MAX_VERSION_LENGTH } from "../../firmware/semver";
import { LIMITS } from "../../lib/limits";
import { TimestampSchema } from "../../lib/schemas";

/** Shapes of the firmware and admin-firmware operations (docs/firmware.md). Requests snake_case, answers camelCase. */

export const SemverSchema = z
  .string()
  .max(MAX_VERSION_LENGTH)
  .refine(isSemver, { message: "must be a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], semver.org)" })
  .openapi({ example: "2.4.1" });

/** Hardware revision names: short tokens such as `NW1-rev3`. */
export const HardwareRevisionSchema = z
  .string()
  .min(1)
  .max(LIMITS.firmwareHardwareLength)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be letters, digits, '.', '_' or '-'")
  .openapi({ example: "NW1-rev3" });

export const ReleaseIdParamSchema = z.object({
  id: z.string().max(100).openapi({ description: "The release's id", example: "7b0f3c9e-2a41-4c6d-9e0b-5d8a1f2c3b4e" }),
});

export const Sha256Schema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hexadecimal digits")
  .transform((s) => s.toLowerCase())
  .openapi({ example: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" });

const timestamp = TimestampSchema;

export const FirmwareReleaseSchema = z
  .object({
    id: z.string(),
    version: z.string().openapi({ example: "2.4.1" }),
    hardwareRevisions: z.array(z.string()).openapi({ example: ["NW1-rev3"] }),
    channel: z.enum(FIRMWARE_CHANNELS),
    mandatory: z.boolean(),
    minVersion: z.string().nullable().openapi({ description: "Install only from this version or later" }),
    notes: z.string(),
    size: z.number().int().openapi({ description: "Bytes of the binary", example: 1_048_576 }),
    sha256: z.string().openapi({ description: "SHA-256 of the binary, hex" }),
    publishedAt: timestamp.nullable(),
    downloadUrl: z.string().openapi({ example: "/v1/firmware/7b0f3c9e-2a41-4c6d-9e0b-5d8a1f2c3b4e/download" }),
  })
  .openapi("FirmwareRelease");

export const FirmwareUpdateSchema = FirmwareReleaseSchema.extend({
  mandatory: z.boolean().openapi({ description: "This release, or a newer one it leads to, must be installed" }),
  steppingStone: z.boolean().openapi({ description: "A newer release exists that needs this one installed first" }),
  manifest: z.string().openapi({
    description:
      "Compact JWS (alg EdDSA) of the manifest: release_id, version, hardware_revision, size, sha256, mandatory, min_version, channel, sub, iat, exp. Verify with /.well-known/firmware-signing-keys.json",
  }),
  manifestExpiresAt: timestamp,
}).openapi("FirmwareUpdate");

export const AdminFirmwareReleaseSchema = FirmwareReleaseSchema.extend({
  status: z.enum(FIRMWARE_STATUSES),
  rolloutPercent: z.number().int().min(0).max(100),
  failureThresholdPercent: z.number().int().min(0).max(100),
  minReports: z.number().int().min(0),
  downloads: z.number().int().openapi({ description: "Devices that reported DOWNLOADED" }),
  installs: z.number().int().openapi({ description: "Devices that reported INSTALLED" }),
  failures: z.number().int().openapi({ description: "Devices that reported FAILED" }),
  haltReason: z.enum(["auto", "admin"]).nullable(),
  createdBy: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  haltedAt: timestamp.nullable(),
  retiredAt: timestamp.nullable(),
}).openapi("AdminFirmwareRelease");

const countsSchema = z.object({ DOWNLOADED: z.number().int(), INSTALLED: z.number().int(), FAILED: z.number().int() });

export const AdminFirmwareDetailSchema = AdminFirmwareReleaseSchema.extend({
  reports: z.object({
    failureRatePercent: z
      .number()
      .nullable()
      .openapi({ description: "failures / (installs + failures) × 100, null before any outcome" }),
    byHardwareRevision: z.record(z.string(), countsSchema),
    recentFailures: z.array(z.object({ hardwareRevision: z.string(), error: z.string().nullable(), at: timestamp })),
  }),
}).openapi("AdminFirmwareReleaseDetail");

export const ReportBodySchema = z
  .object({
    status: z.enum(FIRMWARE_REPORT_STATUSES),
    hardware_revision: HardwareRevisionSchema,
    error: z
      .string()
      .max(100_000)
      .optional()
      .openapi({ description: "What went wrong (FAILED); cut to 2,000 characters" }),
  })
  .openapi("FirmwareReportBody");

export const ReportSchema = z
  .object({
    releaseId: z.string(),
    status: z.enum(FIRMWARE_REPORT_STATUSES),
    hardwareRevision: z.string(),
    recordedAt: timestamp,
  })
  .openapi("FirmwareReport");

export const FirmwareJwksSchema = z
  .object({
    keys: z.array(
      z.object({
        kty: z.literal("OKP"),
        crv: z.literal("Ed25519"),
        x: z.string(),
        kid: z.string(),
        alg: z.string(),
        use: z.string(),
      }),
    ),
  })
  .openapi("FirmwareJwks");

export const binaryResponse = (description: string) => ({
  description,
  content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
});

export const downloadPath = (id: string) => `/v1/firmware/${id}/download`;

export function toDevice(r: ReleaseRow): z.infer<typeof FirmwareReleaseSchema> {
  return {
    id: r.id,
    version: r.version,
    hardwareRevisions: r.hardwareRevisions,
    channel: r.channel,
    mandatory: r.mandatory,
    minVersion: r.minVersion,
    notes: r.notes,
    size: r.sizeBytes,
    sha256: r.sha256,
    publishedAt: r.publishedAt,
    downloadUrl: downloadPath(r.id),
  };
}

export function toAdmin(r: ReleaseRow): z.infer<typeof AdminFirmwareReleaseSchema> {
  return {
    ...toDevice(r),
    status: r.status,
    rolloutPercent: r.rolloutPercent,
    failureThresholdPercent: r.failureThresholdPercent,
    minReports: r.minReports,
    downloads: r.downloads,
    installs: r.installs,
    failures: r.failures,
    haltReason: r.haltReason === "auto" || r.haltReason === "admin" ? r.haltReason : null,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    haltedAt: r.haltedAt,
    retiredAt: r.retiredAt,
  };
}
