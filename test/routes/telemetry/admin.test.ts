import { env, exports } from "cloudflare:workers";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { describe, expect, it } from "vitest";
import { runScheduled } from "../../../src/scheduled";
import { objectKey } from "../../../src/telemetry/lake";
import { adminToken } from "../../fixtures/firmware";
import { logsJson, makeLogs, makeSpans, post, tracesProtobuf } from "../../fixtures/telemetry";
import { call, expectError, newUser } from "../../helpers";

/** The admins' view of the lake (docs/telemetry.md "Admin"), and retention. */

const admin = await adminToken();
const user = await newUser("telemetry-admin");
const now = new Date();
const day = now.toISOString().slice(0, 10);
const hour = now.getUTCHours();

// One hour's telemetry: spans "a" of 10, 20, 30 ms, one "b" of 40 ms, logs at INFO, ERROR, FATAL.
const durations = [10, 20, 30];
const spans = [...makeSpans(3, "a", (i) => durations[i] as number), ...makeSpans(1, "b", 40)];
expect(
  (await post("traces", tracesProtobuf(spans), { token: user.access, contentType: "application/x-protobuf" })).status,
).toBe(200);
const logs = await makeLogs([SeverityNumber.INFO, SeverityNumber.ERROR, SeverityNumber.FATAL]);
expect((await post("logs", JSON.stringify(logsJson(logs)), { token: user.access })).status).toBe(200);

const list = (query: string, token = admin) => call("GET", `/v1/admin/telemetry?${query}`, { token });

describe("admin telemetry", () => {
  it("lists an hour's objects by signal and day, with their record counts, buffered records included", async () => {
    const res = await list(`signal=traces&day=${day}`);
    expect(res.status).toBe(200);
    const page = res.body as {
      objects: { key: string; records: number; hour: string; signal: string }[];
      nextCursor: null;
    };
    expect(page.nextCursor).toBeNull();
    expect(page.objects.reduce((n, o) => n + o.records, 0)).toBe(4);
    expect(page.objects.every((o) => o.signal === "traces" && o.key.startsWith(`traces/${day}/`))).toBe(true);
    const inHour = await list(`signal=logs&day=${day}&hour=${hour}`);
    expect((inHour.body as typeof page).objects.reduce((n, o) => n + o.records, 0)).toBe(3);
    const otherDay = await list("signal=logs&day=2020-01-01");
    expect((otherDay.body as typeof page).objects).toEqual([]);
  });

  it("downloads an object as gzip NDJSON, with ranges", async () => {
    const { objects } = (await list(`signal=traces&day=${day}`)).body as { objects: { key: string; size: number }[] };
    const key = objects[0]?.key as string;
    const res = await exports.default.fetch(
      new Request(`http://localhost/v1/admin/telemetry/object?key=${encodeURIComponent(key)}`, {
        headers: { authorization: `Bearer ${admin}` },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    const text = await new Response(res.body?.pipeThrough(new DecompressionStream("gzip"))).text();
    const records = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.name).sort()).toEqual(["a", "a", "a", "b"]);
    const ranged = await exports.default.fetch(
      new Request(`http://localhost/v1/admin/telemetry/object?key=${encodeURIComponent(key)}`, {
        headers: { authorization: `Bearer ${admin}`, range: "bytes=0-9" },
      }),
    );
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(10);
    const missing = key.replace(/-\d{12}\.ndjson/, "-999999999999.ndjson");
    expectError(
      await call("GET", `/v1/admin/telemetry/object?key=${encodeURIComponent(missing)}`, { token: admin }),
      404,
    );
    for (const bad of ["../etc/passwd", "traces/2026-12-03/07/x.json", "exports/a/b"]) {
      expectError(
        await call("GET", `/v1/admin/telemetry/object?key=${encodeURIComponent(bad)}`, { token: admin }),
        400,
      );
    }
  });

  it("summarizes the hour: counts, error logs, top span names, duration percentiles", async () => {
    const res = await call("GET", `/v1/admin/telemetry/summary?day=${day}&hour=${hour}`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      day,
      hour,
      records: { traces: 4, metrics: 0, logs: 3 },
      errorLogs: 2,
      users: 1,
      topSpanNames: [
        { name: "a", count: 3 },
        { name: "b", count: 1 },
      ],
    });
    // Linear interpolation over 10, 20, 30, 40: p50 = 25, p95 = 38.5 (DuckDB's quantile_cont agrees).
    const { p50, p95 } = (res.body as { spanDurationMs: { p50: number; p95: number } }).spanDurationMs;
    expect(p50).toBeCloseTo(25, 6);
    expect(p95).toBeCloseTo(38.5, 6);
  });

  it("refuses bad queries with 400, non-admins with 403 and strangers with 401", async () => {
    for (const query of [
      "signal=spans&day=2026-12-03",
      "signal=traces",
      "signal=traces&day=2026-13-01",
      "signal=logs&day=2026-12-03&hour=24",
    ]) {
      expectError(await list(query), 400);
    }
    const paths = [
      `/v1/admin/telemetry?signal=traces&day=${day}`,
      `/v1/admin/telemetry/object?key=${encodeURIComponent(objectKey("traces", `${day}T00`, "abc", 1, 2))}`,
      `/v1/admin/telemetry/summary?day=${day}&hour=0`,
    ];
    for (const path of paths) {
      expectError(await call("GET", path, { token: user.access }), 403);
      expectError(await call("GET", path), 401);
    }
  });

  it("deletes days past 30 days of retention in the scheduled sweep, and keeps the rest", async () => {
    const ago = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 13);
    const old = objectKey("metrics", ago(31), "abc", 1, 1);
    const older = objectKey("logs", ago(90), "abc", 1, 1);
    const kept = objectKey("metrics", ago(29), "abc", 1, 1);
    for (const key of [old, older, kept]) await env.TELEMETRY.put(key, "x");
    const report = await runScheduled(env, now);
    expect(report.telemetry).toEqual({ deleted: 2 });
    expect(await env.TELEMETRY.head(old)).toBeNull();
    expect(await env.TELEMETRY.head(older)).toBeNull();
    expect(await env.TELEMETRY.head(kept)).not.toBeNull();
    expect((await list(`signal=traces&day=${day}`)).status).toBe(200);
  });
});
