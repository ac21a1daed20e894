/**
 * The owner's access log, in the owner's UserStore (docs/sharing.md "Access log"): one row per read of their data
 * through a share, written by the same RPC that serves the data, so a read and its record cannot come apart and no
 * shared read writes to D1. The row holds the viewer's id only, never a copy of their email: the API resolves the
 * email when the owner reads the log, and shows a pseudonym once the viewer's account is gone.
 */

import { DAY_MS } from "../lib/time";

/** What the Worker hands the store with a shared read (src/sharing/read-scope.ts builds it). */
export interface AccessRecord {
  viewerId: string;
  dataType: string;
  path: string;
  rangeStart: string | null;
  rangeEnd: string | null;
}

export interface StoredAccess extends AccessRecord {
  /** Increasing in write order: the position a page continues from. */
  id: number;
  /** ISO date-time of the read, the store's clock. */
  at: string;
}

export interface AccessLogPage {
  limit: number;
  offset: number;
  /** Continue after this entry (entries with a smaller id). */
  afterId?: number;
}

interface Row extends Record<string, SqlStorageValue> {
  id: number;
  at: string;
  viewer_id: string;
  data_type: string;
  path: string;
  range_start: string | null;
  range_end: string | null;
}

/** Records one read, and drops the entries older than the retention period (an index range, usually empty). */
export function recordAccess(sql: SqlStorage, access: AccessRecord, now: Date, retentionDays: number): void {
  sql.exec(
    "INSERT INTO access_log (at, viewer_id, data_type, path, range_start, range_end) VALUES (?, ?, ?, ?, ?, ?)",
    now.toISOString(),
    access.viewerId,
    access.dataType,
    access.path,
    access.rangeStart,
    access.rangeEnd,
  );
  sql.exec("DELETE FROM access_log WHERE at < ?", new Date(now.getTime() - retentionDays * DAY_MS).toISOString());
}

/** Newest first; one extra row tells whether another page follows. */
export function listAccess(sql: SqlStorage, page: AccessLogPage): StoredAccess[] {
  const rows = sql
    .exec<Row>(
      "SELECT id, at, viewer_id, data_type, path, range_start, range_end FROM access_log WHERE id < ? ORDER BY id DESC LIMIT ? OFFSET ?",
      page.afterId ?? Number.MAX_SAFE_INTEGER,
      page.limit + 1,
      page.offset,
    )
    .toArray();
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    viewerId: row.viewer_id,
    dataType: row.data_type,
    path: row.path,
    rangeStart: row.range_start,
    rangeEnd: row.range_end,
  }));
}
