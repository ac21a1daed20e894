import { LIMITS } from "../lib/limits";
import { DAY_MS } from "../lib/time";
import { decodeChunk } from "../measurements/codec";
import type { UploadSummary } from "../measurements/schemas";
import { aggregateSeries, type Series, type SeriesOptions } from "../measurements/series";
import { type MeasurementType, SECONDS_PER_DAY } from "../measurements/types";
import { type AccessLogPage, type AccessRecord, listAccess, type StoredAccess } from "./access-log";
import { createdChanges, measurementChanges, recordChange } from "./change-inputs";
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
  findDayFeedback,
  listDayFeedback,
  type NewDayFeedback,
  upsertDayFeedback,
} from "./records-day-feedback";
import {
  type FeedbackOutcome,
  type InsightHistoryRecord,
  insertInsight,
  insertInsightFeedback,
  insightCreated,
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
import type { WriteContext } from "./store-base";
import { WebhookStore } from "./webhook-store";

export type { AccountChange } from "./change-inputs";

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

/**
 * One per user (named by the user id): that user's measurements and personal records in SQLite storage.
 * Coarse RPC methods, one call per request; no router inside (architecture.md "Why one Durable Object per user").
 *
 * Every write records what it changed in the change feed, in its own transaction (src/user-store/store-base.ts);
 * the feed, webhooks, account deletion and the store's life are in the classes below this one.
 */
export class UserStore extends WebhookStore {
  /**
   * Merges an upload into the day chunks, all in one synchronous transaction: either every day is written or none,
   * and concurrent uploads for the same day are serialized (no lost update).
   */
  async ingestMeasurements(request: IngestRequest): Promise<StoredIngest> {
    return this.write((write) => this.#ingest(write, request));
  }

  /**
   * `ingestMeasurements` under an idempotency key, in the same transaction: a key seen with the same request hash
   * within the TTL answers the first summary again and writes nothing; with another hash it answers `key_mismatch`.
   */
  async ingestMeasurementsWithKey(request: IngestRequest, idempotency: IdempotencyKey): Promise<IngestOutcome> {
    return this.write((write): IngestOutcome => {
      const nowSeconds = Math.floor(Date.parse(write.now) / 1000);
      const found = lookupIdempotencyKey(write.db, idempotency.key, idempotency.requestHash, nowSeconds);
      if (found.state === "mismatch") return { outcome: "key_mismatch" };
      if (found.state === "replay") return { outcome: "replayed", summary: JSON.parse(found.response) };
      const stored = this.#ingest(write, request);
      const response = JSON.stringify(stored.summary);
      storeIdempotencyKey(write.db, idempotency.key, idempotency.requestHash, response, nowSeconds);
      return stored;
    });
  }

  /** The merge itself, inside a write's transaction. */
  #ingest({ db, now, changed }: WriteContext, request: IngestRequest): StoredIngest {
    const result = ingestDays(db, request.type, request.days, now);
    changed(measurementChanges(request.type, result.touched, "upsert"));
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
  // owner's access log before reading, in the same call (`logAccess`).

  /** The stored chunks of one type over a day range (Unix seconds of UTC midnights, inclusive). */
  async readMeasurementDays(
    type: MeasurementType,
    startDay: number,
    endDay: number,
    order: "ASC" | "DESC",
    access: AccessRecord | null = null,
  ) {
    return readDays(this.logAccess(access), type, startDay, endDay, order);
  }

  async deleteMeasurementDays(type: MeasurementType, startDay: number, endDay: number) {
    return this.write(({ db, changed }) => {
      const { deletedSamples, deletedDays, days } = deleteDays(db, type, startDay, endDay);
      const gone = days.map((day) => ({ day, count: 0, firstSecond: 0, lastSecond: 0 }));
      changed(measurementChanges(type, gone, "delete"));
      return { deletedSamples, deletedDays };
    });
  }

  /** Server-side downsampling straight from the chunks; only the (small) series leaves the object. */
  async measurementSeries(
    type: MeasurementType,
    options: SeriesOptions,
    access: AccessRecord | null = null,
  ): Promise<Series> {
    const db = this.logAccess(access);
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
    return checkpoints(this.db);
  }

  /**
   * Statistics per (type, local day), from the cache while its inputs are unchanged, else computed and cached
   * (src/user-store/statistics-store.ts). One transaction: the cache never records a result of data that moved.
   */
  async statistics(query: StatisticsQuery, access: AccessRecord | null = null): Promise<DayStatistic[]> {
    const db = this.logAccess(access);
    const now = new Date();
    return this.ctx.storage.transactionSync(() => {
      pruneStatisticsCache(db, new Date(now.getTime() - LIMITS.statisticsCacheDays * DAY_MS).toISOString());
      return computeStatistics(db, query, now.toISOString());
    });
  }

  /** Which (type, day) changed since a data version: the hook a statistics cache invalidates by. */
  async changedMeasurementDays(sinceVersion: number) {
    return changedDays(this.db, sinceVersion);
  }

  // Personal records (docs/records.md). One call per request; every batch is one synchronous transaction, so a batch
  // is stored whole or not at all. Lists answer null when the range holds more than LIMITS.recordListMax records.

  /** Stores a batch of sessions; answers their new ids in input order. */
  async createSessions(sessions: NewSession[]): Promise<string[]> {
    return this.write(({ db, now, changed }) => {
      const ids = insertSessions(db, sessions, now);
      changed(
        createdChanges(
          "session",
          ids,
          sessions,
          (s) => s.startDatetime,
          (id) => findSession(db, id, null),
        ),
      );
      return ids;
    });
  }

  /** The sessions of a range as the JSON text of the response (see `listSessionsJson`). */
  async listSessionsJson(
    range: Omit<SessionRange, "limit">,
    access: AccessRecord | null = null,
  ): Promise<string | null> {
    return listSessionsJson(this.logAccess(access), { ...range, limit: LIMITS.recordListMax });
  }

  async getSession(id: string, kind: SessionFilter, access: AccessRecord | null = null): Promise<SessionRecord | null> {
    return findSession(this.logAccess(access), id, kind);
  }

  async updateSession(id: string, patch: SessionPatch, kind: SessionFilter): Promise<SessionUpdateOutcome> {
    return this.write(({ db, now, changed }) => {
      const result = updateSession(db, id, patch, kind, now);
      if (result.outcome === "updated") {
        const { session } = result;
        changed([recordChange("session", "upsert", id, session.startDatetime, () => session)]);
      }
      return result;
    });
  }

  async deleteSession(id: string, kind: SessionFilter): Promise<boolean> {
    return this.write(({ db, changed }) => {
      const start = deleteSession(db, id, kind);
      if (start !== null) changed([recordChange("session", "delete", id, start, () => ({ id }))]);
      return start !== null;
    });
  }

  async createCheckins(checkins: NewCheckin[]): Promise<string[]> {
    return this.write(({ db, now, changed }) => {
      const ids = insertCheckins(db, checkins, now);
      changed(
        createdChanges(
          "checkin",
          ids,
          checkins,
          (c) => c.datetime,
          (id) => findCheckin(db, id),
        ),
      );
      return ids;
    });
  }

  /** Check-ins at [from, to) (ISO UTC). */
  async listCheckins(from: string, to: string, access: AccessRecord | null = null): Promise<CheckinRecord[] | null> {
    return listCheckins(this.logAccess(access), from, to, LIMITS.recordListMax);
  }

  async getCheckin(id: string, access: AccessRecord | null = null): Promise<CheckinRecord | null> {
    return findCheckin(this.logAccess(access), id);
  }

  async deleteCheckin(id: string): Promise<boolean> {
    return this.write(({ db, changed }) => {
      const at = deleteCheckin(db, id);
      if (at !== null) changed([recordChange("checkin", "delete", id, at, () => ({ id }))]);
      return at !== null;
    });
  }

  /** Stores day-feedback answers, each replacing the answer to the same question on the same local day. */
  async saveDayFeedback(answers: NewDayFeedback[]): Promise<string[]> {
    return this.write(({ db, now, changed }) => {
      const ids = upsertDayFeedback(db, answers, now);
      changed(
        createdChanges(
          "day_feedback",
          ids,
          answers,
          (a) => a.datetime,
          (id) => findDayFeedback(db, id),
        ),
      );
      return ids;
    });
  }

  async listDayFeedback(
    startDay: string,
    endDay: string,
    since: string | null,
    access: AccessRecord | null = null,
  ): Promise<DayFeedbackRecord[] | null> {
    return listDayFeedback(this.logAccess(access), startDay, endDay, since, LIMITS.recordListMax);
  }

  async recordInsight(insight: NewInsight): Promise<void> {
    const { response } = insight;
    await this.write(({ db, changed }) => {
      insertInsight(db, insight);
      changed([recordChange("insight", "upsert", response.id, response.created, () => response)]);
    });
  }

  /** Feedback changes its reflection: each element is an `insight` change carrying the feedback stored. */
  async addInsightFeedback(items: NewInsightFeedback[]): Promise<FeedbackOutcome> {
    return this.write(({ db, now, changed }) => {
      const result = insertInsightFeedback(db, items, now);
      if (result.outcome !== "stored") return result;
      changed(
        items.map((item, i) => {
          const feedback = { ...item, id: result.ids[i], created: now };
          const dated = insightCreated(db, item.instanceId) ?? now;
          return recordChange("insight", "upsert", item.instanceId, dated, () => ({ id: item.instanceId, feedback }));
        }),
      );
      return result;
    });
  }

  async listInsights(
    startDay: string,
    endDay: string,
    since: string | null,
    access: AccessRecord | null = null,
  ): Promise<InsightHistoryRecord[] | null> {
    return listInsights(this.logAccess(access), startDay, endDay, since, LIMITS.recordListMax);
  }

  /** The owner's access log, newest first (one extra entry tells whether another page follows). */
  async listAccessLog(page: AccessLogPage): Promise<StoredAccess[]> {
    return listAccess(this.db, page);
  }
}

export function userStore(env: Pick<Env, "USER_STORE">, userId: string): DurableObjectStub<UserStore> {
  return env.USER_STORE.get(env.USER_STORE.idFromName(userId)) as DurableObjectStub<UserStore>;
}
