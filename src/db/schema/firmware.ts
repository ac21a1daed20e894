import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./users";

/** docs/firmware.md "Model". */
export const FIRMWARE_CHANNELS = ["stable", "beta"] as const;
export type FirmwareChannel = (typeof FIRMWARE_CHANNELS)[number];
export const FIRMWARE_STATUSES = ["draft", "published", "halted", "retired"] as const;
export type FirmwareStatus = (typeof FIRMWARE_STATUSES)[number];
export const FIRMWARE_REPORT_STATUSES = ["DOWNLOADED", "INSTALLED", "FAILED"] as const;
export type FirmwareReportStatus = (typeof FIRMWARE_REPORT_STATUSES)[number];

/**
 * A firmware release: its metadata here, its binary in the FIRMWARE bucket at `object_key`. The counts are kept on
 * the row, in the same batch as the report that changes them, so the auto-halt check reads one row.
 */
export const firmwareReleases = sqliteTable(
  "firmware_releases",
  {
    id: text("id").primaryKey(),
    version: text("version").notNull(),
    channel: text("channel", { enum: FIRMWARE_CHANNELS }).notNull(),
    status: text("status", { enum: FIRMWARE_STATUSES }).notNull(),
    rolloutPercent: integer("rollout_percent").notNull(),
    failureThresholdPercent: integer("failure_threshold_percent").notNull(),
    minReports: integer("min_reports").notNull(),
    mandatory: integer("mandatory", { mode: "boolean" }).notNull(),
    /** The version a watch must run to install this one (a stepping stone), or null. */
    minVersion: text("min_version"),
    notes: text("notes").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    objectKey: text("object_key").notNull(),
    /** Devices that reported each outcome (one per user and status: a resent report counts once). */
    downloads: integer("downloads").notNull().default(0),
    installs: integer("installs").notNull().default(0),
    failures: integer("failures").notNull().default(0),
    /** Why it halted: `auto` (the failure threshold) or `admin`. */
    haltReason: text("halt_reason"),
    createdBy: text("created_by"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    publishedAt: text("published_at"),
    haltedAt: text("halted_at"),
    retiredAt: text("retired_at"),
  },
  (t) => [
    index("firmware_releases_status_idx").on(t.status, t.channel),
    check("firmware_rollout_range", sql`${t.rolloutPercent} BETWEEN 0 AND 100`),
    check("firmware_threshold_range", sql`${t.failureThresholdPercent} BETWEEN 0 AND 100`),
    check("firmware_min_reports_range", sql`${t.minReports} >= 0`),
  ],
);

/** The hardware revisions a release fits; one version exists once per hardware revision. */
export const firmwareHardware = sqliteTable(
  "firmware_hardware",
  {
    releaseId: text("release_id")
      .notNull()
      .references(() => firmwareReleases.id, { onDelete: "cascade" }),
    hardwareRevision: text("hardware_revision").notNull(),
    version: text("version").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.releaseId, t.hardwareRevision] }),
    uniqueIndex("firmware_hardware_version_idx").on(t.version, t.hardwareRevision),
    index("firmware_hardware_revision_idx").on(t.hardwareRevision),
  ],
);

/** Device outcomes: one row per (release, user, status), the latest report of that status. */
export const firmwareReports = sqliteTable(
  "firmware_reports",
  {
    releaseId: text("release_id")
      .notNull()
      .references(() => firmwareReleases.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: FIRMWARE_REPORT_STATUSES }).notNull(),
    hardwareRevision: text("hardware_revision").notNull(),
    error: text("error"),
    firstAt: text("first_at").notNull(),
    lastAt: text("last_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.releaseId, t.userId, t.status] }),
    index("firmware_reports_release_idx").on(t.releaseId, t.status, t.lastAt),
    index("firmware_reports_user_idx").on(t.userId),
  ],
);

/**
 * What admins did, and what the system did on their behalf (an auto-halt): who, what, when, the target and its
 * state before and after, as JSON. Append-only.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: text("at").notNull(),
    /** The admin's user id; null for the system. Kept when the account is deleted (no foreign key). */
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    before: text("before"),
    after: text("after"),
  },
  (t) => [index("audit_log_at_idx").on(t.at, t.id), index("audit_log_target_idx").on(t.targetType, t.targetId)],
);

export type FirmwareRelease = typeof firmwareReleases.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;

/**
 * An upload session for a binary larger than one request can carry (docs/firmware.md "Large binaries"): an R2
 * multipart upload at the future release's key, its parts sent one request each, completed into a draft release.
 * Abandoned sessions are aborted by the sweep after `expires_at`.
 */
export const firmwareUploads = sqliteTable(
  "firmware_uploads",
  {
    /** The id the release gets on completion. */
    id: text("id").primaryKey(),
    uploadId: text("upload_id").notNull(),
    /** The release's fields as validated at creation (JSON). */
    metadata: text("metadata").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    partBytes: integer("part_bytes").notNull(),
    partCount: integer("part_count").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("firmware_uploads_expiry_idx").on(t.expiresAt)],
);

export const firmwareUploadParts = sqliteTable(
  "firmware_upload_parts",
  {
    uploadId: text("upload_id")
      .notNull()
      .references(() => firmwareUploads.id, { onDelete: "cascade" }),
    partNumber: integer("part_number").notNull(),
    etag: text("etag").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.partNumber] })],
);

export type FirmwareUpload = typeof firmwareUploads.$inferSelect;
