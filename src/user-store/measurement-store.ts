import { decodeChunk, encodeChunk, mergeSamples } from "../measurements/codec";
import type { MeasurementType } from "../measurements/types";

/**
 * The measurement store inside a UserStore: functions over the object's SqlStorage, all synchronous so that a
 * caller can run them inside `transactionSync` (a read-merge-write of a day chunk can never interleave with another).
 */

export interface IncomingDay {
  /** Unix seconds of the UTC midnight starting the day. */
  day: number;
  /** Encoded chunk (src/measurements/codec.ts) of the upload's samples for that day. */
  chunk: Uint8Array;
  /** The chunk's sample count and its first and last second after midnight, as the DayAccumulator knows them. */
  count: number;
  firstSecond: number;
  lastSecond: number;
}

export interface IngestResult {
  /** Distinct samples in the upload. */
  samplesAccepted: number;
  /** Of those, samples that replaced a stored sample at the same second. */
  samplesReplaced: number;
  daysTouched: number;
  /** SQLite rows written by the merge (Durable Object writes are billed per row). */
  rowsWritten: number;
  /** Each day written, with the stored chunk's count and first and last second after the merge. */
  touched: TouchedDay[];
}

export interface TouchedDay {
  day: number;
  count: number;
  firstSecond: number;
  lastSecond: number;
}

export interface StoredDay {
  day: number;
  data: Uint8Array;
  count: number;
  created: string;
  updatedAt: string;
}

export interface TypeCheckpoint {
  type: MeasurementType;
  /** Latest stored datetime (Unix seconds). */
  lastDatetime: number;
  /** Samples stored for the type. */
  count: number;
  days: number;
}

const toBlob = (bytes: Uint8Array): ArrayBuffer =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);

function nextVersion(sql: SqlStorage): { version: number; rowsWritten: number } {
  const cursor = sql.exec<{ value: string }>(
    "INSERT INTO meta (key, value) VALUES ('data_version', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value",
  );
  const version = Number(cursor.one().value);
  return { version, rowsWritten: cursor.rowsWritten };
}

function markChanged(sql: SqlStorage, type: string, day: number, version: number): number {
  return sql.exec(
    "INSERT INTO day_versions (type, day, version) VALUES (?, ?, ?) ON CONFLICT (type, day) DO UPDATE SET version = excluded.version",
    type,
    day,
    version,
  ).rowsWritten;
}

/**
 * Merges the upload's day chunks into the stored ones: same second = replace, so re-sending is idempotent. A day
 * not stored yet is inserted as it came, with the count and bounds it came with; only a merge decodes chunks.
 */
export function ingestDays(sql: SqlStorage, type: MeasurementType, days: IncomingDay[], now: string): IngestResult {
  const { version, rowsWritten: versionRows } = nextVersion(sql);
  let rowsWritten = versionRows;
  let samplesAccepted = 0;
  let samplesReplaced = 0;
  let daysTouched = 0;
  const touched: TouchedDay[] = [];
  for (const { day, chunk, count, firstSecond, lastSecond } of days) {
    if (count === 0) continue;
    samplesAccepted += count;
    daysTouched += 1;
    const existing = sql
      .exec<{ data: ArrayBuffer }>("SELECT data FROM chunks WHERE type = ? AND day = ?", type, day)
      .toArray()[0];
    if (!existing) {
      rowsWritten += sql.exec(
        "INSERT INTO chunks (type, day, data, count, first_second, last_second, created, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        type,
        day,
        toBlob(chunk),
        count,
        firstSecond,
        lastSecond,
        now,
        now,
        version,
      ).rowsWritten;
      touched.push({ day, count, firstSecond, lastSecond });
    } else {
      const { merged, replaced } = mergeSamples(decodeChunk(new Uint8Array(existing.data)), decodeChunk(chunk));
      samplesReplaced += replaced;
      const m = merged.seconds.length;
      rowsWritten += sql.exec(
        "UPDATE chunks SET data = ?, count = ?, first_second = ?, last_second = ?, updated_at = ?, version = ? WHERE type = ? AND day = ?",
        toBlob(encodeChunk(merged)),
        m,
        merged.seconds[0] ?? 0,
        merged.seconds[m - 1] ?? 0,
        now,
        version,
        type,
        day,
      ).rowsWritten;
      touched.push({ day, count: m, firstSecond: merged.seconds[0] ?? 0, lastSecond: merged.seconds[m - 1] ?? 0 });
    }
    rowsWritten += markChanged(sql, type, day, version);
  }
  return { samplesAccepted, samplesReplaced, daysTouched, rowsWritten, touched };
}

/** Stored chunks of a type over [startDay, endDay] (inclusive), in day order. */
export function readDays(
  sql: SqlStorage,
  type: MeasurementType,
  startDay: number,
  endDay: number,
  order: "ASC" | "DESC",
): StoredDay[] {
  const direction = order === "DESC" ? "DESC" : "ASC";
  return sql
    .exec<{ day: number; data: ArrayBuffer; count: number; created: string; updated_at: string }>(
      `SELECT day, data, count, created, updated_at FROM chunks WHERE type = ? AND day BETWEEN ? AND ? ORDER BY day ${direction}`,
      type,
      startDay,
      endDay,
    )
    .toArray()
    .map((row) => ({
      day: row.day,
      data: new Uint8Array(row.data),
      count: row.count,
      created: row.created,
      updatedAt: row.updated_at,
    }));
}

/** Deletes a type's days in [startDay, endDay]; answers how many samples went, and which days. */
export function deleteDays(sql: SqlStorage, type: MeasurementType, startDay: number, endDay: number) {
  const gone = sql
    .exec<{ day: number; count: number }>(
      "DELETE FROM chunks WHERE type = ? AND day BETWEEN ? AND ? RETURNING day, count",
      type,
      startDay,
      endDay,
    )
    .toArray();
  if (gone.length > 0) {
    const { version } = nextVersion(sql);
    for (const { day } of gone) markChanged(sql, type, day, version);
  }
  return {
    deletedSamples: gone.reduce((sum, row) => sum + row.count, 0),
    deletedDays: gone.length,
    days: gone.map((row) => row.day),
  };
}

export function checkpoints(sql: SqlStorage): TypeCheckpoint[] {
  return sql
    .exec<{ type: string; lastDatetime: number; count: number; days: number }>(
      "SELECT type, MAX(day + last_second) AS lastDatetime, SUM(count) AS count, COUNT(*) AS days FROM chunks GROUP BY type ORDER BY type",
    )
    .toArray()
    .map((row) => ({ ...row, type: row.type as MeasurementType }));
}

/** (type, day) pairs changed after `sinceVersion`, with the current data version (for statistics caches). */
export function changedDays(sql: SqlStorage, sinceVersion: number) {
  const days = sql
    .exec<{ type: string; day: number; version: number }>(
      "SELECT type, day, version FROM day_versions WHERE version > ? ORDER BY version, type, day",
      sinceVersion,
    )
    .toArray();
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'data_version'").toArray()[0];
  return { version: Number(row?.value ?? 0), days };
}

/** Idempotency keys: an answer stored with its request's hash, replayed for 24 hours. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

export type IdempotencyLookup = { state: "new" } | { state: "replay"; response: string } | { state: "mismatch" };

export function lookupIdempotencyKey(sql: SqlStorage, key: string, requestHash: string, nowSeconds: number) {
  sql.exec("DELETE FROM idempotency_keys WHERE created_at < ?", nowSeconds - IDEMPOTENCY_TTL_SECONDS);
  const row = sql
    .exec<{ request_hash: string; response: string }>(
      "SELECT request_hash, response FROM idempotency_keys WHERE key = ?",
      key,
    )
    .toArray()[0];
  if (!row) return { state: "new" } satisfies IdempotencyLookup;
  if (row.request_hash !== requestHash) return { state: "mismatch" } satisfies IdempotencyLookup;
  return { state: "replay", response: row.response } satisfies IdempotencyLookup;
}

export function storeIdempotencyKey(
  sql: SqlStorage,
  key: string,
  requestHash: string,
  response: string,
  nowSeconds: number,
) {
  sql.exec(
    "INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES (?, ?, ?, ?)",
    key,
    requestHash,
    response,
    nowSeconds,
  );
}
