import { DurableObject } from "cloudflare:workers";
import { decodeChunk } from "../measurements/codec";
import { aggregateSeries, type Series, type SeriesOptions } from "../measurements/series";
import { type MeasurementType, SECONDS_PER_DAY } from "../measurements/types";
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

export interface IngestRequest {
  type: MeasurementType;
  days: IncomingDay[];
  /** Rows read from the upload, duplicates included. */
  rowsRead: number;
  firstDatetime: string | null;
  lastDatetime: string | null;
  /** For idempotent writes: the client's key and a hash of the request it came with. */
  idempotency?: { key: string; requestHash: string };
}

export interface UploadSummary {
  type: MeasurementType;
  rowsRead: number;
  samplesAccepted: number;
  samplesReplaced: number;
  daysTouched: number;
  firstDatetime: string | null;
  lastDatetime: string | null;
}

export type IngestOutcome =
  | { outcome: "stored"; summary: UploadSummary; rowsWritten: number }
  | { outcome: "replayed"; summary: UploadSummary }
  | { outcome: "key_mismatch" };

/**
 * One per user (named by the user id): that user's measurements and personal records in SQLite storage.
 * Coarse RPC methods, one call per request; no router inside (architecture.md "Why one Durable Object per user").
 */
export class UserStore extends DurableObject<Env> {
  #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      migrate(this.#sql);
    });
  }

  /**
   * Merges an upload into the day chunks, all in one synchronous transaction: either every day is written or none,
   * and concurrent uploads for the same day are serialized (no lost update).
   */
  async ingestMeasurements(request: IngestRequest): Promise<IngestOutcome> {
    const now = new Date();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    return this.ctx.storage.transactionSync((): IngestOutcome => {
      const { idempotency } = request;
      if (idempotency) {
        const found = lookupIdempotencyKey(this.#sql, idempotency.key, idempotency.requestHash, nowSeconds);
        if (found.state === "mismatch") return { outcome: "key_mismatch" };
        if (found.state === "replay") return { outcome: "replayed", summary: JSON.parse(found.response) };
      }
      const result = ingestDays(this.#sql, request.type, request.days, now.toISOString());
      const summary: UploadSummary = {
        type: request.type,
        rowsRead: request.rowsRead,
        samplesAccepted: result.samplesAccepted,
        samplesReplaced: result.samplesReplaced,
        daysTouched: result.daysTouched,
        firstDatetime: request.firstDatetime,
        lastDatetime: request.lastDatetime,
      };
      if (idempotency) {
        storeIdempotencyKey(this.#sql, idempotency.key, idempotency.requestHash, JSON.stringify(summary), nowSeconds);
      }
      return { outcome: "stored", summary, rowsWritten: result.rowsWritten };
    });
  }

  /** The stored chunks of one type over a day range (Unix seconds of UTC midnights, inclusive). */
  async readMeasurementDays(type: MeasurementType, startDay: number, endDay: number, order: "ASC" | "DESC") {
    return readDays(this.#sql, type, startDay, endDay, order);
  }

  async deleteMeasurementDays(type: MeasurementType, startDay: number, endDay: number) {
    return this.ctx.storage.transactionSync(() => deleteDays(this.#sql, type, startDay, endDay));
  }

  /** Server-side downsampling straight from the chunks; only the (small) series leaves the object. */
  async measurementSeries(type: MeasurementType, options: SeriesOptions): Promise<Series> {
    const firstDay = Math.floor(options.start / SECONDS_PER_DAY) * SECONDS_PER_DAY;
    const lastDay = Math.floor((options.end - 1) / SECONDS_PER_DAY) * SECONDS_PER_DAY;
    const days = readDays(this.#sql, type, firstDay, lastDay, "ASC").map((d) => ({
      day: d.day,
      samples: decodeChunk(d.data),
    }));
    return aggregateSeries(days, options);
  }

  async measurementCheckpoints() {
    return checkpoints(this.#sql);
  }

  /** Which (type, day) changed since a data version: the hook a statistics cache invalidates by. */
  async changedMeasurementDays(sinceVersion: number) {
    return changedDays(this.#sql, sinceVersion);
  }

  /** Erases everything this user stored (account deletion). */
  async deleteAll(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
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
