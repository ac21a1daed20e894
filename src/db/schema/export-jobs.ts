import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

/** Contract §12 "Export status". */
export const EXPORT_STATUSES = ["IN_PROGRESS", "COMPLETED", "FAILED"] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/**
 * Asynchronous exports (contract §3 POST /v1/user/export/create; docs/exports.md "Jobs"). The query is kept as
 * asked, so the consumer re-checks every share when it runs; the archive lives in the EXPORTS bucket at
 * `object_key` until `expires_at`, after which the sweep deletes it and sets `expired_at` (the result answers 410).
 */
export const exportJobs = sqliteTable(
  "export_jobs",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: EXPORT_STATUSES }).notNull(),
    /** JSON array of canonical export types (src/exports/types.ts). */
    types: text("types").notNull(),
    /** JSON array of the other users whose data was asked for (the caller's own id is never listed). */
    exportedUserIds: text("exported_user_ids").notNull(),
    startDay: text("start_day").notNull(),
    endDay: text("end_day").notNull(),
    format: text("format").notNull(),
    objectKey: text("object_key"),
    sizeBytes: integer("size_bytes"),
    sha256: text("sha256"),
    /** Why a job FAILED, in words safe to show its owner. */
    reason: text("reason"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    completedAt: text("completed_at"),
    expiresAt: text("expires_at"),
    expiredAt: text("expired_at"),
  },
  (t) => [index("export_jobs_user_idx").on(t.userId, t.createdAt), index("export_jobs_status_idx").on(t.status)],
);

export type ExportJob = typeof exportJobs.$inferSelect;
