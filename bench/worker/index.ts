// Benchmark-only Worker (see wrangler.toml beside this file): the real API plus the naive design a peer would use.
import { DurableObject } from "cloudflare:workers";
import worker from "../../src/index";
import { nowSeconds } from "../../src/lib/time";
import { decompressUpload } from "../../src/measurements/archive";
import { decodeChunk } from "../../src/measurements/codec";
import { createCsvParser } from "../../src/measurements/csv";
import { parseUpload } from "../../src/measurements/ingest/csv-upload";
import { isMeasurementType, type MeasurementType } from "../../src/measurements/types";
import { readUpload } from "../../src/routes/measurement/upload";
import { UserStore as ApiUserStore, userStore } from "../../src/user-store/user-store";

export { RateLimiter } from "../../src/rate-limiter/rate-limiter";
export { TelemetryBuffer } from "../../src/telemetry/buffer";

/** The real UserStore, plus the floor the statistics bench compares with: decoding the chunks once, nothing else. */
export class UserStore extends ApiUserStore {
  decodeFloor(startDay: number, endDay: number, types: string[]): number {
    let samples = 0;
    const rows = this.ctx.storage.sql.exec<{ data: ArrayBuffer }>(
      "SELECT data FROM chunks WHERE day BETWEEN ? AND ? AND type IN (SELECT value FROM json_each(?))",
      startDay,
      endDay,
      JSON.stringify(types),
    );
    for (const row of rows) samples += decodeChunk(new Uint8Array(row.data)).seconds.length;
    return samples;
  }

  /** The floor of any store call: an RPC that does nothing. */
  ping(): number {
    return 1;
  }

  /** The floor of any store write: an RPC committing one row (the output gate waits for the commit). */
  touch(): number {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS bench_touch (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
    return this.ctx.storage.transactionSync(
      () => sql.exec("INSERT OR REPLACE INTO bench_touch (k, v) VALUES (1, ?)", Date.now()).rowsWritten,
    );
  }
}

interface BenchEnv extends Env {
  NAIVE_STORE: DurableObjectNamespace<NaiveStore>;
}

/** One SQLite row per sample, the straightforward design: INSERT OR REPLACE per sample inside one transaction. */
export class NaiveStore extends DurableObject<BenchEnv> {
  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS samples (type TEXT NOT NULL, datetime INTEGER NOT NULL, value REAL NOT NULL, quality INTEGER NOT NULL, PRIMARY KEY (type, datetime)) WITHOUT ROWID",
    );
  }

  insert(type: string, datetimes: Float64Array, values: Float64Array, quality: Uint8Array): number {
    const sql = this.ctx.storage.sql;
    return this.ctx.storage.transactionSync(() => {
      let rows = 0;
      for (let i = 0; i < datetimes.length; i++) {
        rows += sql.exec(
          "INSERT OR REPLACE INTO samples (type, datetime, value, quality) VALUES (?, ?, ?, ?)",
          type,
          datetimes[i] as number,
          values[i] as number,
          quality[i] as number,
        ).rowsWritten;
      }
      return rows;
    });
  }
}

async function readForm(request: Request): Promise<{ type: MeasurementType; bytes: Uint8Array }> {
  const form = await request.formData();
  const type = String(form.get("type"));
  const file = form.get("file");
  if (!isMeasurementType(type) || !(file instanceof File)) throw new Error("bad form");
  return { type, bytes: new Uint8Array(await file.arrayBuffer()) };
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/bench/naive/upload") {
      // Same front as the real upload (multipart, unzip, the same CSV parser), then one row per sample.
      const { type, bytes } = await readForm(request);
      const datetimes: number[] = [];
      const values: number[] = [];
      const quality: number[] = [];
      const sink = {
        add(t: number, v: number, q: number) {
          datetimes.push(t);
          values.push(v);
          quality.push(q);
        },
      };
      const parser = createCsvParser(type, sink, { now: nowSeconds() });
      await decompressUpload(bytes, (piece) => parser.push(piece), { maxBytes: 256 * 1024 * 1024 });
      parser.end();
      const stub = env.NAIVE_STORE.get(env.NAIVE_STORE.idFromName(url.searchParams.get("user") ?? "naive"));
      const rowsWritten = await stub.insert(
        type,
        Float64Array.from(datetimes),
        Float64Array.from(values),
        Uint8Array.from(quality),
      );
      return Response.json({ samples: datetimes.length, rowsWritten });
    }
    if (url.pathname === "/bench/ours/upload") {
      // The real upload path, answering the SQLite rows it wrote (the public route does not expose them).
      const { type, bytes } = await readForm(request);
      const upload = await parseUpload(type, bytes, nowSeconds());
      const stored = await userStore(env, url.searchParams.get("user") ?? "ours").ingestMeasurements({
        type,
        days: upload.days,
        rowsRead: upload.stats.rows,
        firstDatetime: null,
        lastDatetime: null,
      });
      return Response.json({
        samples: upload.stats.samples,
        rowsWritten: stored.rowsWritten,
        chunkBytes: upload.days.reduce((sum, d) => sum + d.chunk.length, 0),
      });
    }
    if (url.pathname === "/bench/stages") {
      // The upload pipeline cut after one stage (issue 16's profile): the time to each cut, minus the one before it,
      // is that stage's cost inside workerd (whose performance.now() does not advance during CPU work).
      const upto = url.searchParams.get("upto") ?? "";
      if (upto === "none") return Response.json({});
      const { type, bytes } = await readForm(request);
      if (upto === "form") return Response.json({ bytes: bytes.length });
      let rows = 0;
      if (upto === "inflate") {
        await decompressUpload(bytes, (piece) => (rows += piece.length), { maxBytes: 256 * 1024 * 1024 });
        return Response.json({ bytes: rows });
      }
      if (upto === "parse") {
        const parser = createCsvParser(type, { add() {} }, { now: nowSeconds() });
        await decompressUpload(bytes, (piece) => parser.push(piece), { maxBytes: 256 * 1024 * 1024 });
        parser.end();
        return Response.json({ rows: parser.rows });
      }
      const upload = await parseUpload(type, bytes, nowSeconds());
      if (upto === "encode") return Response.json({ days: upload.days.length });
      const stored = await userStore(env, url.searchParams.get("user") ?? "stages").ingestMeasurements({
        type,
        days: upload.days,
        rowsRead: upload.stats.rows,
        firstDatetime: null,
        lastDatetime: null,
      });
      return Response.json({ rowsWritten: stored.rowsWritten });
    }
    if (url.pathname === "/bench/floor/store") {
      // What a store round trip costs before any work (issue 16's one-row floor): ?write adds a one-row commit.
      const stub = env.USER_STORE.get(
        env.USER_STORE.idFromName(url.searchParams.get("user") ?? "floor"),
      ) as unknown as DurableObjectStub<UserStore>;
      return Response.json({ rows: url.searchParams.has("write") ? await stub.touch() : await stub.ping() });
    }
    if (url.pathname === "/bench/cpu/upload") {
      // The upload route's own reader (multipart, inflate, parse, encode) run `n` times over one body inside one
      // request: the time of n = 21 minus n = 1, over 20, is its CPU cost per upload without per-request noise.
      const bytes = new Uint8Array(await request.arrayBuffer());
      const n = Math.min(Math.max(Number(url.searchParams.get("n") ?? 1), 1), 100);
      let rows = 0;
      for (let i = 0; i < n; i++) {
        const copy = new Request(request.url, { method: "POST", headers: request.headers, body: bytes });
        rows += (await readUpload(copy, nowSeconds())).upload.stats.rows;
      }
      return Response.json({ rows });
    }
    if (url.pathname === "/bench/statistics/floor") {
      const stub = env.USER_STORE.get(
        env.USER_STORE.idFromName(url.searchParams.get("user") ?? ""),
      ) as unknown as DurableObjectStub<UserStore>;
      const start = Date.parse(`${url.searchParams.get("start")}T00:00:00Z`) / 1000;
      const end = Date.parse(`${url.searchParams.get("end")}T00:00:00Z`) / 1000;
      const types = (url.searchParams.get("types") ?? "").split(",");
      return Response.json({ samples: await stub.decodeFloor(start, end, types) });
    }
    if (url.pathname === "/bench/r2/firmware") {
      // The firmware download's floor: the same object straight from R2, no auth, no D1, no range handling.
      const object = await env.FIRMWARE.get(url.searchParams.get("key") ?? "");
      if (object === null) return new Response("no such object", { status: 404 });
      return new Response(object.body, { headers: { "content-length": String(object.size) } });
    }
    if (url.pathname === "/bench/verification-code") {
      // The local outbox is the mailbox: the bench reads the registration code to verify its users, as tests do.
      const row = await env.DB.prepare(
        "SELECT body FROM mail_outbox WHERE to_address = ? AND kind = 'EMAIL_VERIFICATION' ORDER BY created_at DESC LIMIT 1",
      )
        .bind(url.searchParams.get("email") ?? "")
        .first<{ body: string }>();
      return Response.json({ code: /\b(\d{6})\b/.exec(row?.body ?? "")?.[1] ?? null });
    }
    return worker.fetch(request, env, ctx);
  },
  // The export jobs' consumer and the sweeps, as deployed (the export bench times a job end to end).
  queue: worker.queue,
  scheduled: worker.scheduled,
} satisfies ExportedHandler<BenchEnv>;
