#!/usr/bin/env node
// `npm run test:lake`: the telemetry lake is readable by a real data-lake engine. Starts the Worker on fresh local
// state (bench/lib.mjs startServer, as `npm run dev` does), sends OTLP traces (protobuf) and logs (JSON) encoded by
// the OpenTelemetry SDK's own serializers, downloads the hour's objects through the admin API, and queries them with
// DuckDB (@duckdb/node-api): record counts, span names, p50/p95 durations and error logs must match what was sent and
// what GET /v1/admin/telemetry/summary answers. Exits 1 on any mismatch; always stops the server.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { JsonLogsSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { json, newUser, startServer } from "../bench/lib.mjs";

const SPANS = 600; // 6 requests of 100
const DURATIONS = (i) => 5 + ((i * 37) % 200); // ms, deterministic
const resource = resourceFromAttributes({ "service.name": "nowatch-app" });

function spans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer("nowatch.sync", "2.3.0");
  const start = Date.now() - 60_000;
  for (let i = 0; i < SPANS; i++) {
    const name = i % 3 === 0 ? "ble.reconnect" : "sync.upload";
    tracer.startSpan(name, { startTime: start + i, attributes: { attempt: i } }).end(start + i + DURATIONS(i));
  }
  return exporter.getFinishedSpans();
}

function logs() {
  const records = [];
  const provider = new LoggerProvider({
    resource,
    processors: [{ onEmit: (r) => records.push(r), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const logger = provider.getLogger("nowatch.ble");
  const severities = [SeverityNumber.INFO, SeverityNumber.WARN, SeverityNumber.ERROR, SeverityNumber.FATAL];
  for (let i = 0; i < 40; i++) logger.emit({ severityNumber: severities[i % 4], body: `event ${i}` });
  return records;
}

const failures = [];
const check = (what, actual, expected) => {
  const ok = typeof expected === "number" ? Math.abs(actual - expected) < 1e-6 : actual === expected;
  console.error(`lake: ${ok ? "ok  " : "FAIL"} ${what}: ${actual}${ok ? "" : ` (expected ${expected})`}`);
  if (!ok) failures.push(what);
};

// The records of one hour are checked: do not start in the last minute of one.
const intoHour = Date.now() % 3_600_000;
if (intoHour > 3_540_000) await new Promise((resolve) => setTimeout(resolve, 3_601_000 - intoHour));

const server = await startServer();
const dir = mkdtempSync(join(tmpdir(), "nowatch-lake-"));
try {
  const user = await newUser(server.base, "lake");
  const sent = spans();
  for (let i = 0; i < sent.length; i += 100) {
    const res = await fetch(`${server.base}/v1/telemetry/v1/traces`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.access}`, "content-type": "application/x-protobuf" },
      body: ProtobufTraceSerializer.serializeRequest(sent.slice(i, i + 100)),
    });
    if (res.status !== 200) throw new Error(`traces answered ${res.status}`);
  }
  const res = await fetch(`${server.base}/v1/telemetry/logs`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.access}`, "content-type": "application/json" },
    body: JsonLogsSerializer.serializeRequest(logs()),
  });
  if (res.status !== 200) throw new Error(`logs answered ${res.status}`);

  const login = await json(server.base, "POST", "/v2/auth/login", {
    body: { email: "admin@nowatch.local", password: "Admin-Passw0rd!" },
  });
  const admin = login.body.access;
  const now = new Date();
  const day = now.toISOString().slice(0, 10);
  const hour = now.getUTCHours();
  const files = { traces: [], logs: [] };
  for (const signal of ["traces", "logs"]) {
    const page = await json(server.base, "GET", `/v1/admin/telemetry?signal=${signal}&day=${day}&hour=${hour}`, {
      token: admin,
    });
    for (const object of page.body.objects) {
      const bytes = await fetch(`${server.base}/v1/admin/telemetry/object?key=${encodeURIComponent(object.key)}`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      const file = join(dir, `${signal}-${files[signal].length}.ndjson.gz`);
      writeFileSync(file, Buffer.from(await bytes.arrayBuffer()));
      files[signal].push(file);
    }
  }
  const summary = (
    await json(server.base, "GET", `/v1/admin/telemetry/summary?day=${day}&hour=${hour}`, { token: admin })
  ).body;

  const duck = await (await DuckDBInstance.create(":memory:")).connect();
  const one = async (sql) => (await (await duck.runAndReadAll(sql)).getRowObjectsJS())[0];
  const traces = `read_json_auto('${join(dir, "traces-*.ndjson.gz")}', format = 'newline_delimited')`;
  const logsTable = `read_json_auto('${join(dir, "logs-*.ndjson.gz")}', format = 'newline_delimited')`;
  const t = await one(
    `SELECT count(*) AS n, count(DISTINCT spanId) AS ids, quantile_cont(durationMs, 0.5) AS p50,
            quantile_cont(durationMs, 0.95) AS p95, count(DISTINCT userKey) AS users,
            count(*) FILTER (WHERE name = 'ble.reconnect') AS reconnects FROM ${traces}`,
  );
  const l = await one(`SELECT count(*) AS n, count(*) FILTER (WHERE severityNumber >= 17) AS errors FROM ${logsTable}`);
  const sorted = sent.map((_, i) => DURATIONS(i)).sort((a, b) => a - b);
  const q = (p) => {
    const pos = (sorted.length - 1) * p;
    return sorted[Math.floor(pos)] + (sorted[Math.ceil(pos)] - sorted[Math.floor(pos)]) * (pos - Math.floor(pos));
  };
  check("objects downloaded", files.traces.length + files.logs.length, summary.objects);
  check("DuckDB: spans", Number(t.n), SPANS);
  check("DuckDB: distinct span ids", Number(t.ids), SPANS);
  check("DuckDB: ble.reconnect spans", Number(t.reconnects), SPANS / 3);
  check("DuckDB: pseudonymous users", Number(t.users), 1);
  check("DuckDB: p50 duration = sent", Number(t.p50), q(0.5));
  check("DuckDB: p95 duration = sent", Number(t.p95), q(0.95));
  check("summary: p50 = DuckDB", summary.spanDurationMs.p50, Number(t.p50));
  check("summary: p95 = DuckDB", summary.spanDurationMs.p95, Number(t.p95));
  check("summary: spans", summary.records.traces, Number(t.n));
  check("DuckDB: log records", Number(l.n), 40);
  check("DuckDB: error logs = summary", Number(l.errors), summary.errorLogs);
  check("summary: error logs", summary.errorLogs, 20);
  duck.closeSync();
} catch (error) {
  failures.push(String(error.stack ?? error));
  console.error(`lake: ${error.stack ?? error}\n${server.logs()}`);
} finally {
  server.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`lake: ${failures.length === 0 ? "PASS" : `FAIL (${failures.length})`}`);
process.exit(failures.length === 0 ? 0 : 1);
