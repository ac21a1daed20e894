import { DurableObject } from "cloudflare:workers";
import { LIMITS } from "../lib/limits";
import { DAY_MS } from "../lib/time";
import { decodeChunk } from "../measurements/codec";
import type { UploadSummary } from "../measurements/schemas";
import { aggregateSeries, type Series, type SeriesOptions } from "../measurements/series";
import { type MeasurementType, SECONDS_PER_DAY } from "../measurements/types";
import { type AccessLogPage, type AccessRecord, listAccess, recordAccess, type StoredAccess } from "./access-log";
import { StoreDeletedError } from "./deleted";
import {
  changedDays,
  checkpoints,
  deleteDays,
  type IncomingDay,
  ingestDays,
  lookupIdempotencyKey,
  readDays,
  storeIdempotencyKey,
} from "./measurement-store";
import { migrate } from "./migrations";
import {
  type CheckinRecord,
  deleteCheckin,
  findCheckin,
  insertCheckins,
  listCheckins,
  type NewCheckin,
} from "./records-checkins";
import {
  type DayFeedbackRecord,
  listDayFeedback,
  type NewDayFeedback,
  upsertDayFeedback,
} from "./records-day-feedback";
import {
  type FeedbackOutcome,
  type InsightHistoryRecord,
  insertInsight,
  insertInsightFeedback,
  listInsights,
  type NewInsight,
  type NewInsightFeedback,
} from "./records-insights";
import {
  deleteSession,
  findSession,
  insertSessions,
  listSessionsJson,
  type NewSession,
  type SessionFilter,
  type SessionPatch,
  type SessionRange,
  type SessionRecord,
  type SessionUpdateOutcome,
  updateSession,
} from "./records-sessions";
import { computeStatistics, type DayStatistic, pruneStatisticsCache, type StatisticsQuery } from "./statistics-store";

export interface IngestRequest {
  type: MeasurementType;
  days: IncomingDay[];
  /** Rows read from the upload, duplicates included. */
  rowsRead: number;
  firstDatetime: string | null;
  lastDatetime: string | null;
}

/** For idempotent writes: the client's key and a hash of the request it came with. */
export interface IdempotencyKey {
  key: string;
  requestHash: string;
}

export interface StoredIngest {
  outcome: "stored";
  summary: UploadSummary;
  rowsWritten: number;
}

/** What a write with an idempotency key answers; without a key a write is always `StoredIngest`. */
export type IngestOutcome =
  | StoredIngest
  | { outcome: "replayed"; summary: UploadSummary }
  | { outcome: "key_mismatch" };

/** The one key a deleted store keeps (the time of the wipe), so that no later instance migrates it afresh. */
const TOMBSTONE = "deleted_at";

/**
 * One per user (named by the user id): that user's measurements and personal records in SQLite storage.
 * Coarse RPC methods, one call per request; no router inside (architecture.md "Why one Durable Object per user").
 *
 * Account deletion wipes the storage and leaves a tombstone; from then on every method refuses with
 * StoreDeletedError (the Worker answers it as an unknown account), in this instance and in any later one.
 */
export class UserStore extends DurableObject<Env> {
  #sql: SqlStorage;
  #deleted = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.#deleted = ctx.storage.kv.get(TOMBSTONE) !== undefined;
      if (!this.#deleted) migrate(this.#sql);
    });
  }

  /** The SQL storage of a store that still exists: every data method reaches its tables only through here. */
  get #db(): SqlStorage {
    if (this.#deleted) throw new StoreDeletedError();
    return this.#sql;
  }

  /**
   * Merges an upload into the day chunks, all in one synchronous transaction: either every day is written or none,
   * and concurrent uploads for the same day are serialized (no lost update).
   */
  async ingestMeasurements(request: IngestRequest): Promise<StoredIngest> {
    const now = new Date().toISOString();
    return this.ctx.storage.transactionSync(() => this.#ingest(request, now));
  }

  /**
   * `ingestMeasurements` under an idempotency key, in the same transaction: a key seen with the same request hash
   * within the TTL answers the first summary again and writes nothing; with another hash it answers `key_mismatch`.
   */
  async ingestMeasurementsWithKey(request: IngestRequest, idempotency: IdempotencyKey): Promise<IngestOutcome> {
    const now = new Date();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    return this.ctx.storage.transactionSync((): IngestOutcome => {
      const found = lookupIdempotencyKey(this.#db, idempotency.key, idempotency.requestHash, nowSeconds);
      if (found.state === "mismatch") return { outcome: "key_mismatch" };
      if (found.state === "replay") return { outcome: "replayed", summary: JSON.parse(found.response) };
      const stored = this.#ingest(request, now.toISOString());
      const response = JSON.stringify(stored.summary);
      storeIdempotencyKey(this.#db, idempotency.key, idempotency.requestHash, response, nowSeconds);
      return stored;
    });
  }

  /** The merge itself; callers run it inside `transactionSync`. */
  #ingest(request: IngestRequest, now: string): StoredIngest {
    const result = ingestDays(this.#db, request.type, request.days, now);
    const summary: UploadSummary = {
      type: request.type,
      rowsRead: request.rowsRead,
      samplesAccepted: result.samplesAccepted,
      samplesReplaced: result.samplesReplaced,
      daysTouched: result.daysTouched,
      firstDatetime: request.firstDatetime,
      lastDatetime: request.lastDatetime,
    };
    return { outcome: "stored", summary, rowsWritten: result.rowsWritten };
  }

  // Reads. Each takes the access record of a read through a share (null for one's own data) and writes it to the
  // owner's access log before reading, in the same call: no extra round trip, and no read without its record.

  /** Records a shared read in the access log (see src/user-store/access-log.ts); the store's clock dates it. */
  #logAccess(access: AccessRecord | null): SqlStorage {
    const db = this.#db;
    if (access !== null) recordAccess(db, access, new Date(), LIMITS.accessLogRetentionDays);
    return db;
  }

  /** The stored chunks of one type over a day range (Unix seconds of UTC midnights, inclusive). */
  async readMeasurementDays(
    type: MeasurementType,
    startDay: number,
    endDay: number,
    order: "ASC" | "DESC",
    access: AccessRecord | null = null,
  ) {
    return readDays(this.#logAccess(access), type, startDay, endDay, order);
  }

  async deleteMeasurementDays(type: MeasurementType, startDay: number, endDay: number) {
    return this.ctx.storage.transactionSync(() => deleteDays(this.#db, type, startDay, endDay));
  }

  /** Server-side downsampling straight from the chunks; only the (small) series leaves the object. */
  async measurementSeries(
    type: MeasurementType,
    options: SeriesOptions,
    access: AccessRecord | null = null,
  ): Promise<Series> {
    const db = this.#logAccess(access);
    // A range cut away whole (it ends before the share's sharedSince) has no buckets.
    if (options.end <= options.start) return aggregateSeries([], { ...options, end: options.start });
    const firstDay = Math.floor(options.start / SECONDS_PER_DAY) * SECONDS_PER_DAY;
    const lastDay = Math.floor((options.end - 1) / SECONDS_PER_DAY) * SECONDS_PER_DAY;
    const days = readDays(db, type, firstDay, lastDay, "ASC").map((d) => ({
      day: d.day,
      samples: decodeChunk(d.data),
    }));
    return aggregateSeries(days, options);
  }

  async measurementCheckpoints() {
    return checkpoints(this.#db);
  }

  /**
   * Statistics per (type, local day), from the cache while its inputs are unchanged, else computed and cached
   * (src/user-store/statistics-store.ts). One transaction: the cache never records a result of data that moved.
   */
  async statistics(query: StatisticsQuery, access: AccessRecord | null = null): Promise<DayStatistic[]> {
    const db = this.#logAccess(access);
    const now = new Date();
    return this.ctx.storage.transactionSync(() => {
      pruneStatisticsCache(db, new Date(now.getTime() - LIMITS.statisticsCacheDays * DAY_MS).toISOString());
      return computeStatistics(db, query, now.toISOString());
    });
  }

  /** Which (type, day) changed since a data version: the hook a statistics cache invalidates by. */
  async changedMeasurementDays(sinceVersion: number) {
    return changedDays(this.#db, sinceVersion);
  }

  // Personal records (docs/records.md). One call per request; every batch is one synchronous transaction, so a batch
  // is stored whole or not at all. Lists answer null when the range holds more than LIMITS.recordListMax records.

  /** Stores a batch of sessions; answers their new ids in input order. */
  async createSessions(sessions: NewSession[]): Promise<string[]> {
    const now = new Date().toISOString();
    return this.ctx.storage.transactionSync(() => insertSessions(this.#db, sessions, now));
  }

  /** The sessions of a range as the JSON text of the response (see `listSessionsJson`). */
  async listSessionsJson(
    range: Omit<SessionRange, "limit">,
    access: AccessRecord | null = null,
  ): Promise<string | null> {
    return listSessionsJson(this.#logAccess(access), { ...range, limit: LIMITS.recordListMax });
  }

  async getSession(id: string, kind: SessionFilter, access: AccessRecord | null = null): Promise<SessionRecord | null> {
    return findSession(this.#logAccess(access), id, kind);
  }

  async updateSession(id: string, patch: SessionPatch, kind: SessionFilter): Promise<SessionUpdateOutcome> {
    const now = new Date().toISOString();
    return this.ctx.storage.transactionSync(() => updateSession(this.#db, id, patch, kind, now));
  }

  async deleteSession(id: string, kind: SessionFilter): Promise<boolean> {
    return deleteSession(this.#db, id, kind);
  }

  async createCheckins(checkins: NewCheckin[]): Promise<string[]> {
    const now = new Date().toISOString();
    return this.ctx.storage.transactionSync(() => insertCheckins(this.#db, checkins, now));
  }

  /** Check-ins at [from, to) (ISO UTC). */
  async listCheckins(from: string, to: string, access: AccessRecord | null = null): Promise<CheckinRecord[] | null> {
    return listCheckins(this.#logAccess(access), from, to, LIMITS.recordListMax);
  }

  async getCheckin(id: string, access: AccessRecord | null = null): Promise<CheckinRecord | null> {
    return findCheckin(this.#logAccess(access), id);
  }

  async deleteCheckin(id: string): Promise<boolean> {
    return deleteCheckin(this.#db, id);
  }

  /** Stores day-feedback answers, each replacing the answer to the same question on the same local day. */
  async saveDayFeedback(answers: NewDayFeedback[]): Promise<string[]> {
    const now = new Date().toISOString();
    return this.ctx.storage.transactionSync(() => upsertDayFeedback(this.#db, answers, now));
  }

  async listDayFeedback(
    startDay: string,
    endDay: string,
    since: string | null,
    access: AccessRecord | null = null,
  ): Promise<DayFeedbackRecord[] | null> {
    return listDayFeedback(this.#logAccess(access), startDay, endDay, since, LIMITS.recordListMax);
  }

  async recordInsight(insight: NewInsight): Promise<void> {
    insertInsight(this.#db, insight);
  }

  async addInsightFeedback(items: NewInsightFeedback[]): Promise<FeedbackOutcome> {
    const now = new Date().toISOString();
    return this.ctx.storage.transactionSync(() => insertInsightFeedback(this.#db, items, now));
  }

  async listInsights(
    startDay: string,
    endDay: string,
    since: string | null,
    access: AccessRecord | null = null,
  ): Promise<InsightHistoryRecord[] | null> {
    return listInsights(this.#logAccess(access), startDay, endDay, since, LIMITS.recordListMax);
  }

  /** The owner's access log, newest first (one extra entry tells whether another page follows). */
  async listAccessLog(page: AccessLogPage): Promise<StoredAccess[]> {
    return listAccess(this.#db, page);
  }

  /**
   * Erases everything this user stored (account deletion), then writes the tombstone. Refuses other calls from the
   * first instant (a call that arrives between the storage operations sees the flag). Idempotent: two deletions in
   * flight both succeed. If a storage operation fails the store is still live and DELETE /v1/user can be retried.
   */
  async deleteAll(): Promise<void> {
    if (this.#deleted) return;
    this.#deleted = true;
    try {
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      this.ctx.storage.kv.put(TOMBSTONE, new Date().toISOString());
    } catch (error) {
      this.#deleted = false;
      throw error;
    }
  }

  /** Number of user tables holding rows; used by account deletion tests and diagnostics. */
  async storedRowCount(): Promise<number> {
    const tables = this.#sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'",
      )
      .toArray();
    let rows = 0;
    for (const { name } of tables) {
      rows += this.#sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM "${name}"`).one().n;
    }
    return rows;
  }
}

export function userStore(env: Pick<Env, "USER_STORE">, userId: string): DurableObjectStub<UserStore> {
  return env.USER_STORE.get(env.USER_STORE.idFromName(userId)) as DurableObjectStub<UserStore>;
}
