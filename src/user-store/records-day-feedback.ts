/**
 * Day feedback inside a UserStore: the answers to "How was your day?" and "How was your sleep?" (contract §7). One
 * row per (local day, question): a later answer for the same day replaces the earlier one in place (same id and
 * `created`, new value and `lastUpdated`). Synchronous functions over the object's SqlStorage.
 */

export interface NewDayFeedback {
  /** When the answer was given, normalized to ISO-8601 UTC. */
  datetime: string;
  /** The local day the answer is about: the date part of `datetime` as the client sent it (its own offset). */
  day: string;
  type: number;
  value: number;
  tag: number | null;
  note?: string;
}

export interface DayFeedbackRecord {
  id: string;
  type: number;
  value: number;
  datetime: string;
  day: string;
  tag: number | null;
  note?: string;
  created: string;
  lastUpdated: string;
}

interface DayFeedbackRow extends Record<string, SqlStorageValue> {
  id: string;
  day: string;
  type: number;
  datetime: string;
  value: number;
  tag: number | null;
  note: string | null;
  created: string;
  last_updated: string;
}

function toRecord(row: DayFeedbackRow): DayFeedbackRecord {
  const record: DayFeedbackRecord = {
    id: row.id,
    type: row.type,
    value: row.value,
    datetime: row.datetime,
    day: row.day,
    tag: row.tag,
    created: row.created,
    lastUpdated: row.last_updated,
  };
  if (row.note !== null) record.note = row.note;
  return record;
}

/**
 * Stores each answer, replacing any stored answer to the same question on the same local day (elements later in the
 * batch win over earlier ones). Answers the row ids in input order: a replaced answer keeps its id. Run inside a
 * transaction.
 */
export function upsertDayFeedback(sql: SqlStorage, answers: readonly NewDayFeedback[], now: string): string[] {
  return answers.map((a) => {
    const row = sql
      .exec<{ id: string }>(
        `INSERT INTO day_feedback (id, day, type, datetime, value, tag, note, created, last_updated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (day, type) DO UPDATE SET datetime = excluded.datetime, value = excluded.value,
           tag = excluded.tag, note = excluded.note, last_updated = excluded.last_updated
         RETURNING id`,
        crypto.randomUUID(),
        a.day,
        a.type,
        a.datetime,
        a.value,
        a.tag,
        a.note ?? null,
        now,
        now,
      )
      .one();
    return row.id;
  });
}

/**
 * Answers about the local days [startDay, endDay] given at or after `since` (ISO UTC; null = all), by day then
 * question; `null` when there are more than `limit`.
 */
export function listDayFeedback(
  sql: SqlStorage,
  startDay: string,
  endDay: string,
  since: string | null,
  limit: number,
): DayFeedbackRecord[] | null {
  const rows = sql
    .exec<DayFeedbackRow>(
      `SELECT id, day, type, datetime, value, tag, note, created, last_updated FROM day_feedback
       WHERE day >= ? AND day <= ? AND datetime >= ? ORDER BY day, type LIMIT ?`,
      startDay,
      endDay,
      since ?? "",
      limit + 1,
    )
    .toArray();
  return rows.length > limit ? null : rows.map(toRecord);
}

export function findDayFeedback(sql: SqlStorage, id: string): DayFeedbackRecord | null {
  const row = sql
    .exec<DayFeedbackRow>(
      "SELECT id, day, type, datetime, value, tag, note, created, last_updated FROM day_feedback WHERE id = ?",
      id,
    )
    .toArray()[0];
  return row ? toRecord(row) : null;
}
