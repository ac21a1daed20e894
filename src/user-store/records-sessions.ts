import type { SessionKind } from "../records/enums";

/**
 * Sessions inside a UserStore (activities and intentions share one table, contract §11 Sessions Context). Functions
 * over the object's SqlStorage, synchronous so a caller runs a whole batch inside one `transactionSync`. Records come
 * in and go out in the API's response shape (camelCase); date-times are already normalized to ISO-8601 UTC with
 * milliseconds by the route, so text comparison is time comparison.
 */

export interface SubjectiveInputRecord {
  datetime: string;
  type: number;
  value: number;
  /** IntentionTag; null when the client sent none. */
  tag: number | null;
  note?: string;
}

export interface SessionInfoRecord {
  name: string;
  note: string;
  subjectiveInputs: SubjectiveInputRecord[];
  origin?: number;
  tool?: string;
}

export interface NewSession {
  startDatetime: string;
  endDatetime: string | null;
  type: number;
  info: SessionInfoRecord;
}

export interface SessionRecord extends NewSession {
  id: string;
  created: string;
  lastUpdated: string;
}

/** A PUT: fields present replace the stored ones; `info` keys present replace their counterparts. */
export interface SessionPatch {
  startDatetime?: string;
  endDatetime?: string | null;
  type?: number;
  info?: Partial<SessionInfoRecord>;
}

/** Which sessions an operation sees: all (`/v1/session`) or one kind (the activity and intention wrappers). */
export type SessionFilter = SessionKind | null;

export interface SessionRange {
  /** Inclusive lower bound on `startDatetime` (ISO UTC). */
  from: string;
  /** Exclusive upper bound on `startDatetime` (ISO UTC). */
  to: string;
  kind: SessionFilter;
  /** Answer at most this many; one more is read to tell the caller the range holds more. */
  limit: number;
}

export type SessionUpdateOutcome =
  | { outcome: "updated"; session: SessionRecord }
  | { outcome: "not_found" }
  | { outcome: "invalid"; message: string };

interface SessionRow extends Record<string, SqlStorageValue> {
  id: string;
  type: number;
  start_datetime: string;
  end_datetime: string | null;
  info: string;
  created: string;
  last_updated: string;
}

const COLUMNS = "id, type, start_datetime, end_datetime, info, created, last_updated";

const KIND_CLAUSE: Record<SessionKind, string> = { intention: "type = 0", activity: "type >= 1" };

const kindClause = (kind: SessionFilter) => (kind === null ? "" : ` AND ${KIND_CLAUSE[kind]}`);

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    startDatetime: row.start_datetime,
    endDatetime: row.end_datetime,
    created: row.created,
    lastUpdated: row.last_updated,
    type: row.type,
    info: JSON.parse(row.info),
  };
}

/** Rows per INSERT: 7 columns each, within SQLite's 100 bound parameters per statement (architecture.md). */
const ROWS_PER_INSERT = 14;

/** Inserts every session with a fresh UUID; answers the ids in input order. Run inside a transaction. */
export function insertSessions(sql: SqlStorage, sessions: readonly NewSession[], now: string): string[] {
  const ids = sessions.map(() => crypto.randomUUID());
  for (let at = 0; at < sessions.length; at += ROWS_PER_INSERT) {
    const chunk = sessions.slice(at, at + ROWS_PER_INSERT);
    const values: SqlStorageValue[] = [];
    chunk.forEach((s, i) => {
      values.push(ids[at + i] as string, s.type, s.startDatetime, s.endDatetime, JSON.stringify(s.info), now, now);
    });
    const rows = chunk.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ");
    sql.exec(`INSERT INTO sessions (${COLUMNS}) VALUES ${rows}`, ...values);
  }
  return ids;
}

/**
 * Sessions starting in [from, to), by start time, as the JSON text of the response array; `null` when the range
 * holds more than `limit`. Rendered here, straight from the rows (`info` is stored as response-shaped JSON), so a
 * year of sessions crosses the RPC boundary as one string instead of thousands of parsed and re-serialized objects.
 * The shape is `SessionRecord` (`toRecord`); tests compare both.
 */
export function listSessionsJson(sql: SqlStorage, range: SessionRange): string | null {
  const cursor = sql
    .exec<SessionRow>(
      `SELECT ${COLUMNS} FROM sessions WHERE start_datetime >= ? AND start_datetime < ?${kindClause(range.kind)} ORDER BY start_datetime, rowid LIMIT ?`,
      range.from,
      range.to,
      range.limit + 1,
    )
    .raw<[string, number, string, string | null, string, string, string]>();
  const parts: string[] = [];
  for (const [id, type, start, end, info, created, lastUpdated] of cursor) {
    if (parts.length === range.limit) return null;
    // id, date-times and type are generated or normalized by this project: nothing in them needs escaping.
    parts.push(
      `{"id":"${id}","startDatetime":"${start}","endDatetime":${end === null ? "null" : `"${end}"`},"created":"${created}","lastUpdated":"${lastUpdated}","type":${type},"info":${info}}`,
    );
  }
  return `[${parts.join(",")}]`;
}

export function findSession(sql: SqlStorage, id: string, kind: SessionFilter): SessionRecord | null {
  const row = sql.exec<SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE id = ?${kindClause(kind)}`, id).toArray()[0];
  return row ? toRecord(row) : null;
}

/** Read-merge-write of one session; the merged start/end must stay in order. Run inside a transaction. */
export function updateSession(
  sql: SqlStorage,
  id: string,
  patch: SessionPatch,
  kind: SessionFilter,
  now: string,
): SessionUpdateOutcome {
  const current = findSession(sql, id, kind);
  if (!current) return { outcome: "not_found" };
  const next: SessionRecord = {
    ...current,
    startDatetime: patch.startDatetime ?? current.startDatetime,
    endDatetime: patch.endDatetime === undefined ? current.endDatetime : patch.endDatetime,
    type: patch.type ?? current.type,
    info: { ...current.info, ...patch.info },
    lastUpdated: now,
  };
  if (next.endDatetime !== null && next.endDatetime < next.startDatetime) {
    return { outcome: "invalid", message: "end_datetime: must not be before start_datetime" };
  }
  sql.exec(
    "UPDATE sessions SET type = ?, start_datetime = ?, end_datetime = ?, info = ?, last_updated = ? WHERE id = ?",
    next.type,
    next.startDatetime,
    next.endDatetime,
    JSON.stringify(next.info),
    now,
    id,
  );
  return { outcome: "updated", session: next };
}

/** Deletes one session; answers its start (what the change feed's cut dates it by), or null when none matched. */
export function deleteSession(sql: SqlStorage, id: string, kind: SessionFilter): string | null {
  const row = sql
    .exec<{ start_datetime: string }>(
      `DELETE FROM sessions WHERE id = ?${kindClause(kind)} RETURNING start_datetime`,
      id,
    )
    .toArray()[0];
  return row?.start_datetime ?? null;
}
