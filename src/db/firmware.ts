import { and, desc, eq, getTableColumns, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "./index";
import {
  type AuditEntry,
  auditLog,
  type FirmwareChannel,
  type FirmwareRelease,
  type FirmwareReportStatus,
  type FirmwareStatus,
  firmwareHardware,
  firmwareReleases,
  firmwareReports,
} from "./schema";

/**
 * Firmware releases, device reports and the audit log (docs/firmware.md). Every change to a release is one D1 batch
 * (one transaction) with its audit entry, so the log never misses a change nor records one that did not happen.
 */

export interface ReleaseRow extends FirmwareRelease {
  hardwareRevisions: string[];
}

const hardwareOf = sql<string>`(SELECT json_group_array(hardware_revision) FROM (SELECT hardware_revision FROM firmware_hardware WHERE release_id = ${firmwareReleases.id} ORDER BY hardware_revision))`;

function withHardware(row: FirmwareRelease & { hardware: string }): ReleaseRow {
  const { hardware, ...release } = row;
  return { ...release, hardwareRevisions: JSON.parse(hardware) as string[] };
}

const selectReleases = (db: Db) =>
  db.select({ ...getTableColumns(firmwareReleases), hardware: hardwareOf }).from(firmwareReleases);

export async function findRelease(db: Db, id: string): Promise<ReleaseRow | undefined> {
  const row = await selectReleases(db).where(eq(firmwareReleases.id, id)).get();
  return row && withHardware(row);
}

export interface ReleaseFilter {
  status?: FirmwareStatus;
  channel?: FirmwareChannel;
  hardwareRevision?: string;
  limit: number;
  offset: number;
}

/** Admin listing: newest first. */
export async function listReleases(db: Db, filter: ReleaseFilter): Promise<ReleaseRow[]> {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(firmwareReleases.status, filter.status));
  if (filter.channel) conditions.push(eq(firmwareReleases.channel, filter.channel));
  if (filter.hardwareRevision) conditions.push(onHardware(filter.hardwareRevision));
  const rows = await selectReleases(db)
    .where(and(...conditions))
    .orderBy(desc(firmwareReleases.createdAt), desc(firmwareReleases.id))
    .limit(filter.limit)
    .offset(filter.offset);
  return rows.map(withHardware);
}

const onHardware = (revision: string) =>
  sql`EXISTS (SELECT 1 FROM firmware_hardware h WHERE h.release_id = ${firmwareReleases.id} AND h.hardware_revision = ${revision})`;

/** Published releases in the given channels, optionally for one hardware revision: the device side's candidates. */
export async function publishedReleases(
  db: Db,
  channels: readonly FirmwareChannel[],
  hardwareRevision?: string,
): Promise<ReleaseRow[]> {
  const conditions = [eq(firmwareReleases.status, "published"), inArray(firmwareReleases.channel, [...channels])];
  if (hardwareRevision) conditions.push(onHardware(hardwareRevision));
  const rows = await selectReleases(db).where(and(...conditions));
  return rows.map(withHardware);
}

/** The releases holding any of `precedenceKeys`' versions for any of `revisions` (the duplicate check). */
export async function conflictingHardware(
  db: Db,
  precedenceKey: string,
  revisions: readonly string[],
): Promise<string[]> {
  const rows = await db
    .select({ revision: firmwareHardware.hardwareRevision })
    .from(firmwareHardware)
    .where(
      and(eq(firmwareHardware.version, precedenceKey), inArray(firmwareHardware.hardwareRevision, [...revisions])),
    );
  return rows.map((r) => r.revision);
}

export interface AuditInput {
  id: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
}

const auditValues = (entry: AuditInput) => ({
  ...entry,
  before: entry.before === null ? null : JSON.stringify(entry.before),
  after: entry.after === null ? null : JSON.stringify(entry.after),
});

export function insertAudit(db: Db, entry: AuditInput) {
  return db.insert(auditLog).values(auditValues(entry));
}

/** A new release, its hardware rows and the audit entry in one batch; throws a D1 UNIQUE error on a duplicate. */
export async function insertRelease(
  db: Db,
  release: typeof firmwareReleases.$inferInsert,
  hardwareRevisions: readonly string[],
  precedenceKey: string,
  audit: AuditInput,
): Promise<void> {
  await db.batch([
    db.insert(firmwareReleases).values(release),
    db.insert(firmwareHardware).values(
      hardwareRevisions.map((hardwareRevision) => ({
        releaseId: release.id,
        hardwareRevision,
        version: precedenceKey,
      })),
    ),
    insertAudit(db, audit),
  ]);
}

export const isUniqueViolation = (error: unknown) =>
  String((error as Error)?.message ?? error).includes("UNIQUE constraint failed");

const INSERT_AUDIT = `INSERT INTO audit_log (id, at, actor_id, actor_email, action, target_type, target_id, before, after)`;

const auditBindings = (a: AuditInput) => [
  a.id,
  a.at,
  a.actorId,
  a.actorEmail,
  a.action,
  a.targetType,
  a.targetId,
  a.before === null ? null : JSON.stringify(a.before),
  a.after === null ? null : JSON.stringify(a.after),
];

/** Column names of the release row, by property. */
const COLUMNS = getTableColumns(firmwareReleases);

type ReleaseChanges = Partial<typeof firmwareReleases.$inferInsert> & { updatedAt: string };

/**
 * Applies `changes` if the release is still as the caller read it (`updated_at` unchanged), and writes the audit
 * entry only when the update happened (`changes()` of the statement before, in the same transaction). Raw D1
 * statements: a conditional INSERT … SELECT has no query-builder form that D1 batches. False when someone changed
 * the release meanwhile.
 */
export async function updateRelease(
  db: Db,
  id: string,
  readAt: string,
  changes: ReleaseChanges,
  audit: AuditInput,
): Promise<boolean> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  const assignments = entries.map(([key]) => `${(COLUMNS as Record<string, { name: string }>)[key]?.name} = ?`);
  if (assignments.some((a) => a.startsWith("undefined"))) throw new TypeError("unknown release column");
  const values = entries.map(([, v]) => (typeof v === "boolean" ? (v ? 1 : 0) : v));
  const d1 = db.$client;
  const [updated] = await d1.batch([
    d1
      .prepare(`UPDATE firmware_releases SET ${assignments.join(", ")} WHERE id = ? AND updated_at = ?`)
      .bind(...values, id, readAt),
    d1.prepare(`${INSERT_AUDIT} SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() = 1`).bind(...auditBindings(audit)),
  ]);
  return updated?.meta.changes === 1;
}

/** Deletes a release (its hardware rows and reports cascade) with its audit entry, if still in `statuses`. */
export async function deleteRelease(
  db: Db,
  id: string,
  statuses: readonly FirmwareStatus[],
  audit: AuditInput,
): Promise<boolean> {
  const d1 = db.$client;
  const [deleted] = await d1.batch([
    d1
      .prepare(
        `DELETE FROM firmware_releases WHERE id = ? AND status IN (${statuses.map(() => "?").join(", ")}) RETURNING id`,
      )
      .bind(id, ...statuses),
    d1.prepare(`${INSERT_AUDIT} SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() = 1`).bind(...auditBindings(audit)),
  ]);
  // RETURNING, not meta.changes: D1 counts the cascaded hardware and report rows too.
  return deleted?.results.length === 1;
}

const COUNTER = { DOWNLOADED: "downloads", INSTALLED: "installs", FAILED: "failures" } as const;

export interface ReportInput {
  releaseId: string;
  userId: string;
  status: FirmwareReportStatus;
  hardwareRevision: string;
  error: string | null;
  at: string;
  /** The id of the audit entry written if this report halts the release. */
  haltAuditId: string;
}

const OVER_THRESHOLD = `status = 'published' AND failures > 0 AND installs + failures >= min_reports
  AND failures * 100 >= failure_threshold_percent * (installs + failures)`;

/**
 * Records a device's outcome and, in the same batch, halts the release when its failures reach the threshold
 * (hawkBit's rollout error threshold): failures × 100 ≥ failure_threshold_percent × (installs + failures), once
 * installs + failures ≥ min_reports and at least one failure. A device counts once per outcome: the counter moves
 * only on its first report of that status. Answers whether this report halted the release.
 */
export async function recordReport(db: Db, report: ReportInput): Promise<{ halted: boolean }> {
  const counter = COUNTER[report.status];
  const d1 = db.$client;
  const snapshot = (status: string) =>
    `json_object('status', ${status}, 'haltReason', ${status === "status" ? "halt_reason" : "'auto'"},
      'downloads', downloads, 'installs', installs, 'failures', failures,
      'failureThresholdPercent', failure_threshold_percent, 'minReports', min_reports)`;
  const results = await d1.batch([
    d1
      .prepare(
        `UPDATE firmware_releases SET ${counter} = ${counter} + 1 WHERE id = ? AND NOT EXISTS (
          SELECT 1 FROM firmware_reports WHERE release_id = ? AND user_id = ? AND status = ?)`,
      )
      .bind(report.releaseId, report.releaseId, report.userId, report.status),
    d1
      .prepare(
        `INSERT INTO firmware_reports (release_id, user_id, status, hardware_revision, error, first_at, last_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (release_id, user_id, status) DO UPDATE SET
          last_at = excluded.last_at, error = excluded.error, hardware_revision = excluded.hardware_revision`,
      )
      .bind(
        report.releaseId,
        report.userId,
        report.status,
        report.hardwareRevision,
        report.error,
        report.at,
        report.at,
      ),
    d1
      .prepare(
        `${INSERT_AUDIT} SELECT ?, ?, NULL, NULL, 'firmware.auto_halt', 'firmware_release', id,
          ${snapshot("status")}, ${snapshot("'halted'")}
        FROM firmware_releases WHERE id = ? AND ${OVER_THRESHOLD}`,
      )
      .bind(report.haltAuditId, report.at, report.releaseId),
    d1
      .prepare(
        `UPDATE firmware_releases SET status = 'halted', halt_reason = 'auto', halted_at = ?, updated_at = ?
        WHERE id = ? AND ${OVER_THRESHOLD}`,
      )
      .bind(report.at, report.at, report.releaseId),
  ]);
  return { halted: results[3]?.meta.changes === 1 };
}

/** Whether the user ever reported on the release (so a report after the rollout shrank is still taken). */
export async function hasReported(db: Db, releaseId: string, userId: string): Promise<boolean> {
  const row = await db
    .select({ one: sql<number>`1` })
    .from(firmwareReports)
    .where(and(eq(firmwareReports.releaseId, releaseId), eq(firmwareReports.userId, userId)))
    .limit(1)
    .get();
  return row !== undefined;
}

export interface ReportSummary {
  byHardwareRevision: Record<string, Record<FirmwareReportStatus, number>>;
  recentFailures: { hardwareRevision: string; error: string | null; at: string }[];
}

/** The admin's view of a release's reports: devices per outcome and hardware revision, and the latest failures. */
export async function reportSummary(db: Db, releaseId: string, recent: number): Promise<ReportSummary> {
  const [groups, failures] = await db.batch([
    db
      .select({
        hardwareRevision: firmwareReports.hardwareRevision,
        status: firmwareReports.status,
        devices: sql<number>`count(*)`,
      })
      .from(firmwareReports)
      .where(eq(firmwareReports.releaseId, releaseId))
      .groupBy(firmwareReports.hardwareRevision, firmwareReports.status),
    db
      .select({
        hardwareRevision: firmwareReports.hardwareRevision,
        error: firmwareReports.error,
        at: firmwareReports.lastAt,
      })
      .from(firmwareReports)
      .where(and(eq(firmwareReports.releaseId, releaseId), eq(firmwareReports.status, "FAILED")))
      .orderBy(desc(firmwareReports.lastAt))
      .limit(recent),
  ]);
  const byHardwareRevision: ReportSummary["byHardwareRevision"] = {};
  for (const g of groups) {
    byHardwareRevision[g.hardwareRevision] ??= { DOWNLOADED: 0, INSTALLED: 0, FAILED: 0 };
    (byHardwareRevision[g.hardwareRevision] as Record<FirmwareReportStatus, number>)[g.status] = Number(g.devices);
  }
  return { byHardwareRevision, recentFailures: failures };
}

export interface AuditFilter {
  targetType?: string;
  targetId?: string;
  action?: string;
  /** Keyset cursor: entries strictly older than (at, id). */
  before?: { at: string; id: string };
  limit: number;
}

/** Newest first. */
export function listAudit(db: Db, filter: AuditFilter): Promise<AuditEntry[]> {
  const conditions: (SQL | undefined)[] = [];
  if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.before) {
    const { at, id } = filter.before;
    conditions.push(or(lt(auditLog.at, at), and(eq(auditLog.at, at), lt(auditLog.id, id))));
  }
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(filter.limit);
}
