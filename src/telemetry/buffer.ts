import { DurableObject } from "cloudflare:workers";
import { LIMITS } from "../lib/limits";
import { type LakeObject, objectKey } from "./lake";
import type { Signal } from "./records";

/**
 * One shard of the telemetry buffer (docs/telemetry.md "Storage"). An accepted request's records are inserted into
 * this object's SQLite before the request is answered, so they are durable; an alarm then flushes them, by time
 * (FLUSH_AFTER_MS after the first record waits) and by size (at once past OBJECT_BYTES), as gzip NDJSON objects in
 * the TELEMETRY bucket, one object per signal and hour.
 *
 * Nothing accepted is lost or written twice when the object restarts mid-flush: a flush first stores its intent (the
 * object key and the exact rows, by sequence), then writes the object, then deletes those rows and the intent in one
 * transaction. A restarted object finds the intent and writes the same rows under the same key again, replacing
 * whatever part of the first attempt reached R2.
 */

export type AppendAnswer = { accepted: true } | { accepted: false; retryAfterSeconds: number };
export type FlushReport = { objects: number; records: number };

/** Raw NDJSON bytes per object: objects of about 1 MB compressed. */
export const OBJECT_BYTES = 8 * 1024 * 1024;
/** The longest a record waits in the buffer. */
export const FLUSH_AFTER_MS = 30_000;
/** Buffered bytes past which a shard refuses appends (503, Retry-After) until flushes catch up. */
export const MAX_BUFFER_BYTES = 128 * 1024 * 1024;
/** Rows are at most this large (the SQLite row limit is 2 MB). */
const ROW_BYTES = 1024 * 1024;
const RETRY_AFTER_SECONDS = 5;

type Intent = { key: string; signal: Signal; hour: string; first: number; last: number; records: number };

export class TelemetryBuffer extends DurableObject<Env> {
  /** MAX_BUFFER_BYTES, here so a test can lower it to see the refusal. */
  static maxBufferBytes = MAX_BUFFER_BYTES;
  #sql: SqlStorage;
  #buffered = 0;
  #alarmAt: number | null = null;
  #flushing: Promise<FlushReport> | null = null;
  /** Bytes of the rows the running flush will write: not counted towards the next size trigger. */
  #inFlight = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.#sql.exec(`CREATE TABLE IF NOT EXISTS batches (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, signal TEXT NOT NULL, hour TEXT NOT NULL,
        records INTEGER NOT NULL, bytes INTEGER NOT NULL, body TEXT NOT NULL)`);
      this.#sql.exec(`CREATE TABLE IF NOT EXISTS intent (
        id INTEGER PRIMARY KEY CHECK (id = 1), key TEXT NOT NULL, signal TEXT NOT NULL, hour TEXT NOT NULL,
        first INTEGER NOT NULL, last INTEGER NOT NULL, records INTEGER NOT NULL)`);
      this.#buffered = this.#sql.exec<{ b: number | null }>("SELECT SUM(bytes) AS b FROM batches").one().b ?? 0;
      this.#alarmAt = await ctx.storage.getAlarm();
      if (this.#buffered > 0 && this.#alarmAt === null) await this.#schedule(Date.now());
    });
  }

  /** Stores one request's records (NDJSON lines of one signal, received in `hour`, `YYYY-MM-DDTHH`). */
  async append(signal: Signal, hour: string, lines: string[]): Promise<AppendAnswer> {
    let bytes = 0;
    for (const line of lines) bytes += line.length + 1;
    if (this.#buffered + bytes > TelemetryBuffer.maxBufferBytes) {
      return { accepted: false, retryAfterSeconds: RETRY_AFTER_SECONDS };
    }
    this.ctx.storage.transactionSync(() => {
      let start = 0;
      let size = 0;
      for (let i = 0; i <= lines.length; i++) {
        const line = lines[i];
        if (i === lines.length || (size > 0 && size + (line as string).length + 1 > ROW_BYTES)) {
          if (i > start) {
            const body = `${lines.slice(start, i).join("\n")}\n`;
            this.#sql.exec(
              "INSERT INTO batches (signal, hour, records, bytes, body) VALUES (?, ?, ?, ?, ?)",
              signal,
              hour,
              i - start,
              body.length,
              body,
            );
          }
          start = i;
          size = 0;
        }
        if (line !== undefined) size += line.length + 1;
      }
    });
    this.#buffered += bytes;
    const now = Date.now();
    await this.#schedule(this.#buffered - this.#inFlight >= OBJECT_BYTES ? now : now + FLUSH_AFTER_MS);
    return { accepted: true };
  }

  /** Writes out everything buffered (the alarm's work; also before admin reads, so they see every record). */
  async flush(): Promise<FlushReport> {
    while (this.#flushing) await this.#flushing.catch(() => {});
    this.#flushing = this.#flushAll();
    try {
      return await this.#flushing;
    } finally {
      this.#flushing = null;
    }
  }

  /** What the buffer holds: its rows and whether a flush was left half done (tests, operators). */
  async pending(): Promise<{ records: number; bytes: number; intent: boolean }> {
    const row = this.#sql
      .exec<{ r: number | null; b: number | null }>("SELECT SUM(records) AS r, SUM(bytes) AS b FROM batches")
      .one();
    const intent = this.#sql.exec("SELECT 1 FROM intent").toArray().length > 0;
    return { records: row.r ?? 0, bytes: row.b ?? 0, intent };
  }

  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    await this.flush();
  }

  async #schedule(at: number): Promise<void> {
    if (this.#alarmAt !== null && this.#alarmAt <= at) return;
    this.#alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  /** Writes the rows buffered when it starts; rows appended meanwhile wait for their own trigger. */
  async #flushAll(): Promise<FlushReport> {
    const report: FlushReport = { objects: 0, records: 0 };
    const snapshot = this.#sql
      .exec<{ s: number | null; b: number | null }>("SELECT MAX(seq) AS s, SUM(bytes) AS b FROM batches")
      .one();
    this.#inFlight = snapshot.b ?? 0;
    try {
      for (;;) {
        const intent = this.#intent() ?? this.#plan(snapshot.s ?? 0);
        if (!intent) return report;
        this.#inFlight -= await this.#write(intent);
        report.objects++;
        report.records += intent.records;
      }
    } finally {
      this.#inFlight = 0;
    }
  }

  #intent(): Intent | null {
    return this.#sql.exec<Intent>("SELECT key, signal, hour, first, last, records FROM intent").toArray()[0] ?? null;
  }

  /** The next object: the oldest waiting signal and hour, up to OBJECT_BYTES of its rows; stored as the intent. */
  #plan(upTo: number): Intent | null {
    const oldest = this.#sql
      .exec<{ signal: Signal; hour: string }>(
        "SELECT signal, hour FROM batches WHERE seq <= ? ORDER BY seq LIMIT 1",
        upTo,
      )
      .toArray()[0];
    if (!oldest) return null;
    const rows = this.#sql.exec<{ seq: number; records: number; bytes: number }>(
      "SELECT seq, records, bytes FROM batches WHERE signal = ? AND hour = ? AND seq <= ? ORDER BY seq",
      oldest.signal,
      oldest.hour,
      upTo,
    );
    let first = 0;
    let last = 0;
    let records = 0;
    let bytes = 0;
    for (const row of rows) {
      if (bytes > 0 && bytes + row.bytes > OBJECT_BYTES) break;
      if (first === 0) first = row.seq;
      last = row.seq;
      records += row.records;
      bytes += row.bytes;
    }
    const key = objectKey(oldest.signal, oldest.hour, this.#shardName(), first, last);
    const intent: Intent = { key, signal: oldest.signal, hour: oldest.hour, first, last, records };
    this.#sql.exec(
      "INSERT INTO intent (id, key, signal, hour, first, last, records) VALUES (1, ?, ?, ?, ?, ?, ?)",
      key,
      intent.signal,
      intent.hour,
      first,
      last,
      records,
    );
    return intent;
  }

  /** Writes the intent's object and forgets its rows; answers their bytes. */
  async #write(intent: Intent): Promise<number> {
    const bodies = this.#sql.exec<{ body: string; bytes: number }>(
      "SELECT body, bytes FROM batches WHERE signal = ? AND hour = ? AND seq BETWEEN ? AND ? ORDER BY seq",
      intent.signal,
      intent.hour,
      intent.first,
      intent.last,
    );
    const gzip = new CompressionStream("gzip");
    const writer = gzip.writable.getWriter();
    const compressed = new Response(gzip.readable).arrayBuffer();
    const encoder = new TextEncoder();
    let bytes = 0;
    for (const row of bodies) {
      bytes += row.bytes;
      await writer.write(encoder.encode(row.body));
    }
    await writer.close();
    const metadata: LakeObject["metadata"] = {
      records: String(intent.records),
      bytes: String(bytes),
      shard: this.#shardName(),
    };
    await this.env.TELEMETRY.put(intent.key, await compressed, {
      httpMetadata: { contentType: "application/gzip" },
      customMetadata: metadata,
    });
    this.ctx.storage.transactionSync(() => {
      this.#sql.exec(
        "DELETE FROM batches WHERE signal = ? AND hour = ? AND seq BETWEEN ? AND ?",
        intent.signal,
        intent.hour,
        intent.first,
        intent.last,
      );
      this.#sql.exec("DELETE FROM intent");
    });
    this.#buffered = Math.max(0, this.#buffered - bytes);
    return bytes;
  }

  #shardName(): string {
    return this.ctx.id.toString().slice(0, 16);
  }
}

/** The shard a request's records go to: any of them (records carry no order), so load spreads evenly. */
export function pickShard(env: Env): DurableObjectStub<TelemetryBuffer> {
  const shard = Math.floor(Math.random() * LIMITS.telemetryShards);
  return shardStub(env, shard);
}

export function shardStub(env: Env, shard: number): DurableObjectStub<TelemetryBuffer> {
  return env.TELEMETRY_BUFFER.get(env.TELEMETRY_BUFFER.idFromName(`shard-${shard}`));
}

/** Flushes every shard, so that what follows reads every accepted record. */
export async function flushAll(env: Env): Promise<FlushReport> {
  const reports = await Promise.all(
    Array.from({ length: LIMITS.telemetryShards }, (_, shard) => shardStub(env, shard).flush()),
  );
  return reports.reduce((a, b) => ({ objects: a.objects + b.objects, records: a.records + b.records }), {
    objects: 0,
    records: 0,
  });
}
