import type { ChangeKind, ChangeOp, FeedCut } from "../changes/kinds";
import type { MeasurementType } from "../measurements/types";

/**
 * The change feed inside a UserStore (docs/changes.md): one row per changed thing (a measurement day, a session, the
 * settings …) holding its latest change, numbered by a per-user sequence. A write records its changes in its own
 * transaction, so a change is in the feed exactly when the data is. A thing changed again moves to the end of the
 * sequence; a deletion stays as a tombstone for LIMITS.changesTombstoneDays. Synchronous functions over the
 * object's SqlStorage, for callers inside `transactionSync`.
 */

export interface ChangeInput {
  kind: ChangeKind;
  op: ChangeOp;
  /** Names the thing within its kind: a record id, `TYPE:YYYY-MM-DD`, or the kind itself for settings/profile. */
  key: string;
  id?: string;
  measurementType?: MeasurementType;
  day?: string;
  /**
   * When the data belongs (epoch ms), for the cut at a share's sharedSince: a session's start, a check-in's
   * moment, a measurement day's last sample. Null for the kinds only their owner sees.
   */
  dataMs: number | null;
  /** The webhook's `data` for this change; called only when an endpoint listens for its event. */
  data: () => unknown;
}

/** One entry of GET /v1/changes, as answered. */
export interface ChangeEntry {
  kind: ChangeKind;
  op: ChangeOp;
  id?: string;
  measurementType?: MeasurementType;
  day?: string;
  at: string;
}

export interface ChangePage {
  entries: ChangeEntry[];
  /** The sequence number to go on from: the last entry's when more follow, else the feed's head. */
  position: number;
  hasMore: boolean;
}

/** A page could not be answered: the cursor is behind a pruned tombstone (410) or ahead of the feed (400). */
export type ChangePageOutcome = { outcome: "page"; page: ChangePage } | { outcome: "gone" } | { outcome: "unknown" };

interface Row extends Record<string, SqlStorageValue> {
  kind: ChangeKind;
  seq: number;
  op: ChangeOp;
  at: string;
  entity_id: string | null;
  measurement_type: MeasurementType | null;
  day: string | null;
  data_ms: number | null;
}

function metaNumber(sql: SqlStorage, key: string): number {
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
  return Number(row?.value ?? 0);
}

/** Writes the changes in order, each with the next sequence number. Run inside the write's transaction. */
export function writeChanges(sql: SqlStorage, changes: readonly ChangeInput[], now: string): void {
  const n = changes.length;
  if (n === 0) return;
  const head = Number(
    sql
      .exec<{ value: string }>(
        "INSERT INTO meta (key, value) VALUES ('change_seq', ?) ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + ? RETURNING value",
        String(n),
        n,
      )
      .one().value,
  );
  // One statement for the whole write, the rows as one JSON parameter: a batch of 1,000 sessions costs one upsert
  // (architecture.md: never giant multi-row INSERTs with bound parameters). `j.key` is the row's index in the batch.
  // data_max_ms: the latest data instant the thing ever had, so that a viewer who saw it is told when it moves out
  // of their cut (a session moved before sharedSince reads as deleted to them).
  const rows = changes.map((c) => [
    c.kind,
    c.key,
    c.op,
    c.id ?? null,
    c.measurementType ?? null,
    c.day ?? null,
    c.dataMs,
  ]);
  sql.exec(
    `INSERT INTO changes (kind, key, seq, op, at, entity_id, measurement_type, day, data_ms, data_max_ms)
     SELECT j.value ->> 0, j.value ->> 1, ? + j.key, j.value ->> 2, ?, j.value ->> 3, j.value ->> 4, j.value ->> 5,
            j.value ->> 6, j.value ->> 6
     FROM json_each(?) AS j WHERE true
     ON CONFLICT (kind, key) DO UPDATE SET seq = excluded.seq, op = excluded.op, at = excluded.at,
       entity_id = excluded.entity_id, measurement_type = excluded.measurement_type, day = excluded.day,
       data_ms = excluded.data_ms,
       data_max_ms = CASE WHEN excluded.data_ms IS NULL THEN NULL
                          ELSE MAX(COALESCE(changes.data_max_ms, excluded.data_ms), excluded.data_ms) END`,
    head - n + 1,
    now,
    JSON.stringify(rows),
  );
}

/** Drops tombstones older than `cutoff` (ISO) and remembers the newest dropped, the oldest cursor still good. */
export function pruneTombstones(sql: SqlStorage, cutoff: string): number {
  const dropped = sql
    .exec<{ seq: number }>("DELETE FROM changes WHERE op = 'delete' AND at < ? RETURNING seq", cutoff)
    .toArray();
  if (dropped.length === 0) return 0;
  const newest = Math.max(...dropped.map((row) => row.seq));
  sql.exec(
    "INSERT INTO meta (key, value) VALUES ('changes_pruned_seq', ?) ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
    String(newest),
  );
  return dropped.length;
}

function toEntry(row: Row, cut: FeedCut | null): ChangeEntry {
  // Through a share, a thing whose data now lies before sharedSince is gone from the viewer's view.
  const hidden = cut !== null && row.data_ms !== null && row.data_ms < cut.sinceMs;
  const entry: ChangeEntry = { kind: row.kind, op: hidden ? "delete" : row.op, at: row.at };
  if (row.entity_id !== null) entry.id = row.entity_id;
  if (row.measurement_type !== null) entry.measurementType = row.measurement_type;
  if (row.day !== null) entry.day = row.day;
  return entry;
}

/**
 * The changes after sequence number `after`, in sequence order, at most `limit`; through a share only those `cut`
 * lets the viewer see (their kinds and measurement types, data at or after sharedSince at some point).
 */
export function listChanges(sql: SqlStorage, after: number, limit: number, cut: FeedCut | null): ChangePageOutcome {
  const head = metaNumber(sql, "change_seq");
  if (after > head) return { outcome: "unknown" };
  if (after > 0 && after < metaNumber(sql, "changes_pruned_seq")) return { outcome: "gone" };
  const where = ["seq > ?"];
  const binds: SqlStorageValue[] = [after];
  if (cut !== null) {
    const scopes: string[] = [];
    if (cut.kinds.length > 0) {
      scopes.push(`kind IN (${cut.kinds.map(() => "?").join(", ")})`);
      binds.push(...cut.kinds);
    }
    if (cut.measurementTypes.length > 0) {
      scopes.push(
        `(kind = 'measurement_day' AND measurement_type IN (${cut.measurementTypes.map(() => "?").join(", ")}))`,
      );
      binds.push(...cut.measurementTypes);
    }
    where.push(`(${scopes.join(" OR ")})`, "data_max_ms >= ?");
    binds.push(cut.sinceMs);
  }
  const rows = sql
    .exec<Row>(
      `SELECT kind, seq, op, at, entity_id, measurement_type, day, data_ms FROM changes WHERE ${where.join(" AND ")} ORDER BY seq LIMIT ?`,
      ...binds,
      limit + 1,
    )
    .toArray();
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const position = hasMore ? (page[page.length - 1] as Row).seq : head;
  return { outcome: "page", page: { entries: page.map((row) => toEntry(row, cut)), position, hasMore } };
}
