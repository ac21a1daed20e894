import { env } from "cloudflare:workers";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { gzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { encodeSuccess } from "../../../src/routes/telemetry/wire";
import { ATTRIBUTE_VALUE_BYTES } from "../../../src/telemetry/values";
import {
  decodeTraceResponse,
  lakeRecords,
  logsJson,
  logsProtobuf,
  makeLogs,
  makeMetrics,
  makeSpans,
  metricsJson,
  metricsProtobuf,
  post,
  tracesJson,
  tracesProtobuf,
} from "../../fixtures/telemetry";
import { expectError, newUser } from "../../helpers";

/** OTLP/HTTP ingestion (docs/telemetry.md "Requests"), with bodies encoded by the OpenTelemetry SDK's serializers. */

const user = await newUser("otlp");
const token = user.access;
const json = (body: unknown) => JSON.stringify(body);

/** An OTLP/JSON traces body, to edit before sending. */
type Span = Record<string, unknown> & { attributes: unknown[] };
type TracesBody = Record<string, unknown> & { resourceSpans: { scopeSpans: { spans: Span[] }[] }[] };
const editable = (spans: ReturnType<typeof makeSpans>) => tracesJson(spans) as TracesBody;
const spanAt = (body: TracesBody, i = 0) => body.resourceSpans[0]?.scopeSpans[0]?.spans[i] as Span;

/** The lake's span records of one span name (names are unique per test). */
const spansNamed = async (name: string) => (await lakeRecords("traces")).filter((r) => r.name === name);

async function errorOf(response: Response) {
  return { status: response.status, body: await response.json(), headers: response.headers, text: "" };
}

describe("traces", () => {
  it("stores protobuf spans from the SDK, durable and tagged, and answers an empty protobuf response", async () => {
    const spans = makeSpans(3, "proto.sync", 40);
    const res = await post("traces", tracesProtobuf(spans), { token, contentType: "application/x-protobuf" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBe(0);
    expect(decodeTraceResponse(bytes).partialSuccess).toBeUndefined();

    const stored = await spansNamed("proto.sync");
    expect(stored.map((r) => r.spanId).sort()).toEqual(spans.map((s) => s.spanContext().spanId).sort());
    const first = stored[0] as Record<string, unknown>;
    expect(first.traceId).toBe(spans[0]?.spanContext().traceId);
    expect(first.durationMs).toBeCloseTo(40, 6);
    expect(first.resource).toMatchObject({ "service.name": "nowatch-app" });
    expect(first.scope).toMatchObject({ name: "nowatch.sync", version: "2.3.0" });
    expect(first.attributes).toMatchObject({ attempt: expect.any(Number), "ble.rssi": expect.any(Number) });
    expect(first.userKey).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(stored)).not.toContain(user.id);
    expect(JSON.stringify(stored)).not.toContain(user.email);
    expect(Date.now() - Date.parse(first.receivedAt as string)).toBeLessThan(60_000);
  });

  it("stores the SDK's JSON encoding, gzip or not, and at the base-endpoint path an exporter appends", async () => {
    const a = makeSpans(2, "json.plain");
    const b = makeSpans(2, "json.gzip");
    const c = makeSpans(1, "json.alias");
    const d = makeSpans(1, "proto.gzip");
    const plain = await post("traces", json(tracesJson(a)), { token });
    expect(plain.status).toBe(200);
    expect(await plain.json()).toEqual({});
    const zipped = await post("traces", gzipSync(new TextEncoder().encode(json(tracesJson(b)))), {
      token,
      gzip: true,
    });
    expect(zipped.status).toBe(200);
    const alias = await post("traces", json(tracesJson(c)), { token, path: "/v1/telemetry/v1/traces" });
    expect(alias.status).toBe(200);
    const protoZipped = await post("traces", gzipSync(tracesProtobuf(d)), {
      token,
      gzip: true,
      contentType: "application/x-protobuf",
    });
    expect(protoZipped.status).toBe(200);
    expect(await spansNamed("json.plain")).toHaveLength(2);
    expect(await spansNamed("json.gzip")).toHaveLength(2);
    expect(await spansNamed("json.alias")).toHaveLength(1);
    expect(await spansNamed("proto.gzip")).toHaveLength(1);
  });

  it("reads int64 as a string or a number, ids in either case, and ignores unknown fields", async () => {
    const body = editable(makeSpans(1, "int64.forms"));
    const span = spanAt(body);
    span.startTimeUnixNano = 1_700_000_000_000_000_000; // exact in a double
    span.endTimeUnixNano = "1700000000250000000";
    span.traceId = String(span.traceId).toUpperCase();
    span.somethingNew = { nested: true };
    body.futureField = 1;
    expect((await post("traces", json(body), { token })).status).toBe(200);
    const [stored] = await spansNamed("int64.forms");
    expect(stored?.startTimeUnixNano).toBe("1700000000000000000");
    expect(stored?.durationMs).toBeCloseTo(250, 6);
    expect(stored?.traceId).toBe(String(span.traceId).toLowerCase());
  });

  it("rejects invalid spans alone (a bad id, an end before its start), counting them in partialSuccess", async () => {
    const body = editable(makeSpans(3, "partial.json"));
    spanAt(body, 1).traceId = "abc";
    const res = await post("traces", json(body), { token });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(answer.partialSuccess.rejectedSpans).toBe(1);
    expect(answer.partialSuccess.errorMessage).toContain("traceId");
    expect(await spansNamed("partial.json")).toHaveLength(2);

    const spans = makeSpans(2, "partial.proto", 10);
    const reversed = editable(spans);
    const s0 = spanAt(reversed);
    [s0.startTimeUnixNano, s0.endTimeUnixNano] = [s0.endTimeUnixNano, s0.startTimeUnixNano];
    const viaJson = await post("traces", json(reversed), { token });
    expect(((await viaJson.json()) as { partialSuccess: { rejectedSpans: number } }).partialSuccess.rejectedSpans).toBe(
      1,
    );
  });

  it("writes a protobuf partialSuccess that the SDK's own serializer reads back", () => {
    const decoded = decodeTraceResponse(encodeSuccess({ rejected: 2, message: "2 spans rejected: traceId" }));
    expect(Number(decoded.partialSuccess?.rejectedSpans)).toBe(2);
    expect(decoded.partialSuccess?.errorMessage).toBe("2 spans rejected: traceId");
    const warning = decodeTraceResponse(encodeSuccess({ rejected: 0, message: "1 attribute values truncated" }));
    expect(Number(warning.partialSuccess?.rejectedSpans ?? 0)).toBe(0);
    expect(warning.partialSuccess?.errorMessage).toContain("truncated");
  });

  it("cuts attribute values over 4 KB and says so in partialSuccess without rejecting the span", async () => {
    const body = editable(makeSpans(1, "truncated"));
    const span = spanAt(body);
    span.attributes.push({ key: "stack", value: { stringValue: "é".repeat(3000) } }); // 6000 bytes
    span.attributes.push({ key: "list", value: { arrayValue: { values: [{ stringValue: "x".repeat(5000) }] } } });
    const res = await post("traces", json(body), { token });
    const answer = (await res.json()) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(answer.partialSuccess.rejectedSpans).toBe(0);
    expect(answer.partialSuccess.errorMessage).toContain("2 attribute values");
    const [stored] = await spansNamed("truncated");
    const attributes = stored?.attributes as { stack: string; list: string[] };
    expect(new TextEncoder().encode(attributes.stack).length).toBe(ATTRIBUTE_VALUE_BYTES);
    expect(attributes.list[0]).toHaveLength(ATTRIBUTE_VALUE_BYTES);
  });
});

describe("logs and metrics", () => {
  it("stores SDK log records as JSON and protobuf, one line each", async () => {
    const logs = await makeLogs([SeverityNumber.INFO, SeverityNumber.ERROR]);
    expect((await post("logs", json(logsJson(logs)), { token })).status).toBe(200);
    expect((await post("logs", logsProtobuf(logs), { token, contentType: "application/x-protobuf" })).status).toBe(200);
    const stored = await lakeRecords("logs");
    expect(stored).toHaveLength(4);
    expect(stored.map((r) => r.severityNumber as number).sort((a, b) => a - b)).toEqual([9, 9, 17, 17]);
    expect(stored.map((r) => r.body)).toContain("reconnect 1");
  });

  it("stores metrics as one line per data point, with their type and values", async () => {
    const metrics = await makeMetrics();
    expect((await post("metrics", json(metricsJson(metrics)), { token })).status).toBe(200);
    expect(
      (await post("metrics", metricsProtobuf(metrics), { token, contentType: "application/x-protobuf" })).status,
    ).toBe(200);
    const stored = await lakeRecords("metrics");
    expect(stored).toHaveLength(6);
    const byName = (name: string) => stored.filter((r) => r.name === name);
    expect(byName("sync.failures").map((r) => [r.type, r.value, r.isMonotonic])).toEqual([
      ["sum", 3, true],
      ["sum", 3, true],
    ]);
    expect(byName("battery.level")[0]).toMatchObject({ type: "gauge", value: 0.8 });
    expect(byName("sync.duration")[0]).toMatchObject({ type: "histogram", count: "1", sum: 120, unit: "ms" });
  });
});

describe("refusals (nothing stored)", () => {
  const sdkBody = () => json(tracesJson(makeSpans(1, "refused")));

  it("answers 400 to JSON that is not an OTLP request, or has wrong types, naming where", async () => {
    for (const body of [
      json({ foo: 1 }),
      json([1, 2]),
      json("traces"),
      json(metricsJson(await makeMetrics())),
      "{oops",
    ]) {
      expectError(await errorOf(await post("traces", body, { token })), 400);
    }
    const wrong = editable(makeSpans(1, "refused"));
    spanAt(wrong).name = 5;
    const res = await errorOf(await post("traces", json(wrong), { token }));
    expectError(res, 400);
    expect(res.body.message[0]).toContain("resourceSpans[0].scopeSpans[0].spans[0].name");
    const named = editable(makeSpans(1, "refused"));
    spanAt(named).kind = "SPAN_KIND_SERVER";
    expectError(await errorOf(await post("traces", json(named), { token })), 400);
    const badTime = editable(makeSpans(1, "refused"));
    spanAt(badTime).startTimeUnixNano = "yesterday";
    expectError(await errorOf(await post("traces", json(badTime), { token })), 400);
    expect(await spansNamed("refused")).toHaveLength(0);
  });

  it("refuses the wrong content type (415), and a body under the other type (400)", async () => {
    expectError(await errorOf(await post("traces", sdkBody(), { token, contentType: "text/plain" })), 415);
    expect((await post("traces", sdkBody(), { token, contentType: "application/x-protobuf" })).status).toBe(400);
    const proto = tracesProtobuf(makeSpans(1, "refused"));
    expectError(await errorOf(await post("traces", proto, { token })), 400);
    const enc = await post("traces", sdkBody(), { token });
    expect(enc.status).toBe(200); // the control: the same body under its own type
    await lakeRecords("traces");
    const unknownEncoding = new Request("http://localhost/v1/telemetry/traces", {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "br", authorization: `Bearer ${token}` },
      body: sdkBody(),
    });
    const { exports } = await import("cloudflare:workers");
    expect((await exports.default.fetch(unknownEncoding)).status).toBe(415);
    expect((await spansNamed("refused")).length).toBe(1);
  });

  it("answers a protobuf refusal as a protobuf google.rpc.Status", async () => {
    const res = await post("traces", new Uint8Array([0x0a, 0xff, 0x01]), {
      token,
      contentType: "application/x-protobuf",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes[0]).toBe(0x08); // field 1 (code), varint
    expect(bytes[1]).toBe(3); // INVALID_ARGUMENT
    expect(new TextDecoder().decode(bytes.subarray(4))).toContain("protobuf");
  });

  it("answers 413 over 4 MB as sent or after decompression, past 5,000 records, and to a gzip bomb", async () => {
    const big = json({ resourceSpans: [], padding: "x".repeat(4_000_001) });
    expectError(await errorOf(await post("traces", big, { token })), 413);
    expectError(
      await errorOf(await post("traces", gzipSync(new TextEncoder().encode(big)), { token, gzip: true })),
      413,
    );
    const zeros = new ReadableStream<Uint8Array>({
      pull(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(10_000_000));
        controller.close();
      },
    });
    const bomb = new Uint8Array(await new Response(zeros.pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
    expect(bomb.length).toBeLessThan(1_000_000);
    const bombed = await post("traces", bomb, { token, gzip: true, contentType: "application/x-protobuf" });
    expect(bombed.status).toBe(413);
    const many = json(tracesJson(makeSpans(5001, "refused.many", 1)));
    expect(many.length).toBeLessThan(4_000_000);
    expectError(await errorOf(await post("traces", many, { token })), 413);
    expectError(await errorOf(await post("traces", new Uint8Array([1, 2, 3, 4]), { token, gzip: true })), 400);
    expect(await spansNamed("refused.many")).toHaveLength(0);
  });

  it("answers 401 without a valid bearer token", async () => {
    expectError(await errorOf(await post("traces", sdkBody())), 401);
    expectError(await errorOf(await post("logs", sdkBody(), { token: "not-a-token" })), 401);
    expectError(await errorOf(await post("metrics", sdkBody(), { path: "/v1/telemetry/v1/metrics" })), 401);
  });

  it("answers 503 with Retry-After when the buffer is full, and stores nothing", async () => {
    const { TelemetryBuffer } = await import("../../../src/telemetry/buffer");
    const cap = TelemetryBuffer.maxBufferBytes;
    TelemetryBuffer.maxBufferBytes = 10;
    try {
      const res = await errorOf(await post("traces", json(tracesJson(makeSpans(2, "refused.full"))), { token }));
      expectError(res, 503);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      TelemetryBuffer.maxBufferBytes = cap;
    }
    expect(await spansNamed("refused.full")).toHaveLength(0);
    expect(env.TELEMETRY).toBeDefined();
  });
});
