// Issue 14 figures: sustained OTLP ingestion for 30 s at 10,000 spans/s, in protobuf requests of 100 spans (the
// official exporter's default encoding and batch), sent open-loop every 10 ms by the SDK's own serializer. Reports
// the spans accepted per second, p50/p99 latency, the R2 objects the buffer shards wrote per second, and workerd's
// CPU time per 1,000 spans (ps `times` of the workerd processes over the run), against the anchor of the
// OpenTelemetry Collector's published ~12,000 spans/s per core.
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { json, newUser, round } from "../lib.mjs";

export const name = "telemetry";

const SECONDS = 30;
const RATE = 10_000;
const BATCH = 100;
const INTERVAL_MS = (BATCH / RATE) * 1000;
const MAX_IN_FLIGHT = 256;
const BODIES = 50;
const COLLECTOR_SPANS_PER_CORE_SECOND = 12_000;

function bodies() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "nowatch-app", "os.name": "android", "app.version": "2.3.0" }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("nowatch.sync", "2.3.0");
  const start = Date.now();
  for (let i = 0; i < BODIES * BATCH; i++) {
    const name = ["sync.upload", "ble.reconnect", "ble.read", "sync.checkpoint"][i % 4];
    tracer
      .startSpan(name, {
        startTime: start + i,
        attributes: { attempt: i % 5, "ble.rssi": -50 - (i % 40), day: "2026-12-03" },
      })
      .end(start + i + (i % 250));
  }
  const spans = exporter.getFinishedSpans();
  return Array.from({ length: BODIES }, (_, b) =>
    ProtobufTraceSerializer.serializeRequest(spans.slice(b * BATCH, (b + 1) * BATCH)),
  );
}

async function objectCount(base, admin, day) {
  let count = 0;
  let cursor = null;
  do {
    const q = `signal=traces&day=${day}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = await json(base, "GET", `/v1/admin/telemetry?${q}`, { token: admin });
    count += page.body.objects.length;
    cursor = page.body.nextCursor;
  } while (cursor);
  return count;
}

export async function run(server) {
  const user = await newUser(server.base, "telemetry");
  const admin = (
    await json(server.base, "POST", "/v2/auth/login", {
      body: { email: "admin@nowatch.local", password: "Admin-Passw0rd!" },
    })
  ).body.access;
  const requests = bodies();
  const day = new Date().toISOString().slice(0, 10);
  const url = `${server.base}/v1/telemetry/traces`;
  const headers = { authorization: `Bearer ${user.access}`, "content-type": "application/x-protobuf" };
  const send = (body) => fetch(url, { method: "POST", headers, body });

  for (let i = 0; i < 20; i++) await send(requests[i % BODIES]); // warm-up
  const objectsBefore = await objectCount(server.base, admin, day);

  const latencies = [];
  const statuses = {};
  let accepted = 0;
  let inFlight = 0;
  let skipped = 0;
  const pending = [];
  const cpu0 = server.workerdCpuSeconds();
  const t0 = performance.now();
  const total = (SECONDS * 1000) / INTERVAL_MS;
  for (let n = 0; n < total; n++) {
    const due = t0 + n * INTERVAL_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= MAX_IN_FLIGHT) {
      skipped++;
      continue;
    }
    inFlight++;
    const started = performance.now();
    pending.push(
      send(requests[n % BODIES])
        .then(async (res) => {
          await res.arrayBuffer();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status === 200) accepted += BATCH;
          latencies.push(performance.now() - started);
        })
        .catch(() => {
          statuses.error = (statuses.error ?? 0) + 1;
        })
        .finally(() => inFlight--),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = server.workerdCpuSeconds() - cpu0;
  const objects = (await objectCount(server.base, admin, day)) - objectsBefore; // flushes what is left
  latencies.sort((a, b) => a - b);
  const q = (p) => round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
  const cpuMsPer1000 = (cpu * 1000 * 1000) / accepted;
  return {
    seconds: round(elapsed),
    targetSpansPerSecond: RATE,
    spansAcceptedPerSecond: round(accepted / elapsed),
    requests: latencies.length,
    statuses,
    skippedForInFlightCap: skipped,
    latencyMs: { p50: q(0.5), p99: q(0.99), max: q(1) },
    r2ObjectsWritten: objects,
    r2ObjectsPerSecond: round(objects / elapsed, 3),
    workerdCpuSeconds: round(cpu),
    cpuMsPer1000Spans: round(cpuMsPer1000),
    spansPerCpuSecond: round(1_000_000 / cpuMsPer1000),
    vsCollectorPerCore: round(1_000_000 / cpuMsPer1000 / COLLECTOR_SPANS_PER_CORE_SECOND),
  };
}
