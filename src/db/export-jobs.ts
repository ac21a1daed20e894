import { and, desc, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "./index";
import { type ExportJob, exportJobs } from "./schema";

/** Export jobs (docs/exports.md "Jobs"): every query is scoped by the owning user, except the sweep's. */

export interface NewExportJob {
  id: string;
  userId: string;
  types: readonly string[];
  exportedUserIds: readonly string[];
  startDay: string;
  endDay: string;
  format: string;
}

/**
 * Inserts a job IN_PROGRESS unless the user already has `maxInProgress` of them: one statement, so two concurrent
 * creations cannot both pass the count (D1 runs writes one at a time). False when refused.
 */
export async function insertExportJob(db: Db, job: NewExportJob, maxInProgress: number, now: string) {
  const result = await db.run(sql`
    INSERT INTO export_jobs (id, user_id, status, types, exported_user_ids, start_day, end_day, format, attempts,
      created_at, updated_at)
    SELECT ${job.id}, ${job.userId}, 'IN_PROGRESS', ${JSON.stringify(job.types)}, ${JSON.stringify(job.exportedUserIds)},
      ${job.startDay}, ${job.endDay}, ${job.format}, 0, ${now}, ${now}
    WHERE (SELECT COUNT(*) FROM export_jobs WHERE user_id = ${job.userId} AND status = 'IN_PROGRESS') < ${maxInProgress}`);
  return result.meta.changes === 1;
}

/** Removes a job whose queue message could not be sent (nothing else refers to it yet). */
export function deleteExportJob(db: Db, userId: string, id: string) {
  return db.delete(exportJobs).where(and(eq(exportJobs.id, id), eq(exportJobs.userId, userId)));
}

export function listExportJobs(db: Db, userId: string, limit: number): Promise<ExportJob[]> {
  return db
    .select()
    .from(exportJobs)
    .where(eq(exportJobs.userId, userId))
    .orderBy(desc(exportJobs.createdAt), desc(exportJobs.id))
    .limit(limit);
}

export function findExportJob(db: Db, userId: string, id: string): Promise<ExportJob | undefined> {
  return db
    .select()
    .from(exportJobs)
    .where(and(eq(exportJobs.id, id), eq(exportJobs.userId, userId)))
    .get();
}

/** The consumer's read: by id alone, since the message names the job and the job names its user. */
export function findExportJobById(db: Db, id: string): Promise<ExportJob | undefined> {
  return db.select().from(exportJobs).where(eq(exportJobs.id, id)).get();
}

const inProgress = (id: string) => and(eq(exportJobs.id, id), eq(exportJobs.status, "IN_PROGRESS"));

export async function recordExportAttempt(db: Db, id: string, attempts: number, now: string): Promise<void> {
  await db.update(exportJobs).set({ attempts, updatedAt: now }).where(inProgress(id));
}

export interface CompletedExport {
  objectKey: string;
  sizeBytes: number;
  sha256: string;
  expiresAt: string;
}

/** COMPLETED, only from IN_PROGRESS: false when the sweep failed the job meanwhile (the caller deletes the object). */
export async function completeExportJob(db: Db, id: string, done: CompletedExport, now: string): Promise<boolean> {
  const rows = await db
    .update(exportJobs)
    .set({ ...done, status: "COMPLETED", completedAt: now, updatedAt: now, reason: null })
    .where(inProgress(id))
    .returning({ id: exportJobs.id });
  return rows.length === 1;
}

export async function failExportJob(db: Db, id: string, reason: string, now: string): Promise<boolean> {
  const rows = await db
    .update(exportJobs)
    .set({ status: "FAILED", reason, updatedAt: now })
    .where(inProgress(id))
    .returning({ id: exportJobs.id });
  return rows.length === 1;
}

// --- the sweep (src/exports/sweep.ts) ------------------------------------------------------------------------------

/** Fails every job IN_PROGRESS created before `before`; answers their ids. */
export async function failStaleExportJobs(db: Db, before: string, reason: string, now: string): Promise<string[]> {
  const rows = await db
    .update(exportJobs)
    .set({ status: "FAILED", reason, updatedAt: now })
    .where(and(eq(exportJobs.status, "IN_PROGRESS"), lt(exportJobs.createdAt, before)))
    .returning({ id: exportJobs.id });
  return rows.map((row) => row.id);
}

/** Finished archives past their expiry whose object is still stored, at most `limit` per sweep. */
export function findExpiredExports(db: Db, now: string, limit: number) {
  return db
    .select({ id: exportJobs.id, objectKey: exportJobs.objectKey })
    .from(exportJobs)
    .where(and(isNotNull(exportJobs.objectKey), isNull(exportJobs.expiredAt), lt(exportJobs.expiresAt, now)))
    .limit(limit);
}

export function markExportExpired(db: Db, ids: readonly string[], now: string) {
  return db
    .update(exportJobs)
    .set({ expiredAt: now, updatedAt: now })
    .where(sql`${exportJobs.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
}

/** Rows of jobs that ended before `before` (their archives already gone): afterwards their ids answer 404. */
export async function pruneExportJobs(db: Db, before: string): Promise<number> {
  const rows = await db
    .delete(exportJobs)
    .where(
      and(
        sql`${exportJobs.status} != 'IN_PROGRESS'`,
        lt(exportJobs.updatedAt, before),
        sql`(${exportJobs.objectKey} IS NULL OR ${exportJobs.expiredAt} IS NOT NULL)`,
      ),
    )
    .returning({ id: exportJobs.id });
  return rows.length;
}
