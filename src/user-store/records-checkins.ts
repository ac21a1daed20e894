import type { CheckinContext, CheckinOrigin, Reactivity, RelatedFeeling, Valence } from "../records/enums";

/**
 * Check-ins inside a UserStore: moment-in-time records (docs/records.md "Check-ins"). Synchronous functions over the
 * object's SqlStorage, in the API's response shape; date-times arrive normalized to ISO-8601 UTC.
 */

export interface NewCheckin {
  datetime: string;
  origin: CheckinOrigin;
  reactivity: Reactivity;
  valence: Valence;
  relatedFeelings: RelatedFeeling[];
  context: CheckinContext[];
  note: string;
}

export interface CheckinRecord extends NewCheckin {
  id: string;
  created: string;
  lastUpdated: string;
}

/** Rows hold only values the route validated against the closed enums. */
interface CheckinRow extends Record<string, SqlStorageValue> {
  id: string;
  datetime: string;
  origin: CheckinOrigin;
  reactivity: Reactivity;
  valence: Valence;
  related_feelings: string;
  context: string;
  note: string;
  created: string;
  last_updated: string;
}

const COLUMNS = "id, datetime, origin, reactivity, valence, related_feelings, context, note, created, last_updated";

function toRecord(row: CheckinRow): CheckinRecord {
  return {
    id: row.id,
    datetime: row.datetime,
    origin: row.origin,
    reactivity: row.reactivity,
    valence: row.valence,
    relatedFeelings: JSON.parse(row.related_feelings),
    context: JSON.parse(row.context),
    note: row.note,
    created: row.created,
    lastUpdated: row.last_updated,
  };
}

/** Inserts every check-in with a fresh UUID; answers the ids in input order. Run inside a transaction. */
export function insertCheckins(sql: SqlStorage, checkins: readonly NewCheckin[], now: string): string[] {
  return checkins.map((c) => {
    const id = crypto.randomUUID();
    sql.exec(
      `INSERT INTO checkins (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id,
      c.datetime,
      c.origin,
      c.reactivity,
      c.valence,
      JSON.stringify(c.relatedFeelings),
      JSON.stringify(c.context),
      c.note,
      now,
      now,
    );
    return id;
  });
}

/** Check-ins at [from, to), by time; `null` when the range holds more than `limit`. */
export function listCheckins(sql: SqlStorage, from: string, to: string, limit: number): CheckinRecord[] | null {
  const rows = sql
    .exec<CheckinRow>(
      `SELECT ${COLUMNS} FROM checkins WHERE datetime >= ? AND datetime < ? ORDER BY datetime, rowid LIMIT ?`,
      from,
      to,
      limit + 1,
    )
    .toArray();
  return rows.length > limit ? null : rows.map(toRecord);
}

export function findCheckin(sql: SqlStorage, id: string): CheckinRecord | null {
  const row = sql.exec<CheckinRow>(`SELECT ${COLUMNS} FROM checkins WHERE id = ?`, id).toArray()[0];
  return row ? toRecord(row) : null;
}

/** Deletes one check-in; answers its moment (what the change feed's cut dates it by), or null when unknown. */
export function deleteCheckin(sql: SqlStorage, id: string): string | null {
  const row = sql.exec<{ datetime: string }>("DELETE FROM checkins WHERE id = ? RETURNING datetime", id).toArray()[0];
  return row?.datetime ?? null;
}
