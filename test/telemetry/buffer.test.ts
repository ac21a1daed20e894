import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { FLUSH_AFTER_MS, OBJECT_BYTES, type TelemetryBuffer } from "../../src/telemetry/buffer";
import { allObjects, eachLine } from "../../src/telemetry/lake";

/** The buffer shard (docs/telemetry.md "Storage"): durable appends, flushes by time and size, restarts mid-flush. */

let shards = 0;
/** A shard of its own per test (not one of the Worker's shard-N names). */
const freshShard = () => env.TELEMETRY_BUFFER.get(env.TELEMETRY_BUFFER.idFromName(`test-${++shards}-${Date.now()}`));
const HOUR = "2026-12-03T07";
const lines = (n: number, tag: string, pad = 0) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ tag, i, pad: "p".repeat(pad) }));

async function lakeLines(tag: string): Promise<{ objects: number; records: Record<string, unknown>[] }> {
  const records: Record<string, unknown>[] = [];
  let objects = 0;
  for (const object of await allObjects(env.TELEMETRY, "logs/2026-12-03/07/")) {
    let matched = false;
    await eachLine(env.TELEMETRY, object.key, (line) => {
      const record = JSON.parse(line);
      if (record.tag !== tag) return;
      matched = true;
      records.push(record);
    });
    if (matched) objects++;
  }
  return { objects, records };
}

describe("TelemetryBuffer", () => {
  it("keeps appended records durable until a flush writes them, once", async () => {
    const shard = freshShard();
    expect(await shard.append("logs", HOUR, lines(250, "durable"))).toEqual({ accepted: true });
    expect(await shard.pending()).toMatchObject({ records: 250, intent: false });
    expect((await lakeLines("durable")).records).toHaveLength(0);
    expect(await shard.flush()).toEqual({ objects: 1, records: 250 });
    expect(await shard.pending()).toMatchObject({ records: 0, bytes: 0 });
    const lake = await lakeLines("durable");
    expect(lake.objects).toBe(1);
    expect(lake.records.map((r) => r.i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(await shard.flush()).toEqual({ objects: 0, records: 0 });
  });

  it("flushes by time: the first append sets an alarm FLUSH_AFTER_MS away, and the alarm writes the object", async () => {
    const shard = freshShard();
    const before = Date.now();
    await shard.append("logs", HOUR, lines(3, "timed"));
    const alarm = await runInDurableObject(shard, (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThanOrEqual(before + FLUSH_AFTER_MS);
    expect(alarm).toBeLessThanOrEqual(Date.now() + FLUSH_AFTER_MS);
    expect(await runDurableObjectAlarm(shard)).toBe(true);
    expect((await lakeLines("timed")).records).toHaveLength(3);
  });

  it("flushes by size: past OBJECT_BYTES the alarm is due at once, and objects are cut near OBJECT_BYTES", async () => {
    const shard = freshShard();
    const big = lines(Math.ceil((OBJECT_BYTES * 1.5) / 4000), "sized", 4000); // rows split under the 2 MB row limit
    await shard.append("logs", HOUR, big);
    const alarm = await runInDurableObject(shard, (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBeLessThanOrEqual(Date.now());
    expect(await runDurableObjectAlarm(shard)).toBe(true);
    const lake = await lakeLines("sized");
    expect(lake.objects).toBe(2);
    expect(lake.records).toHaveLength(big.length);
  });

  it("loses nothing and writes nothing twice when the object restarts mid-flush", async () => {
    const shard = freshShard();
    await shard.append("logs", HOUR, lines(100, "restart"));
    // The object is written to R2, then the object dies before it forgets the rows.
    await expect(
      runInDurableObject(shard, async (instance: TelemetryBuffer, state) => {
        const bucket = env.TELEMETRY;
        (instance as unknown as { env: Env }).env = {
          ...env,
          TELEMETRY: {
            ...bucket,
            put: async (...args: Parameters<R2Bucket["put"]>) => {
              await bucket.put(...args);
              state.abort("crash after the object was written");
              throw new Error("unreachable");
            },
          } as unknown as R2Bucket,
        };
        await instance.flush();
      }),
    ).rejects.toThrow();
    expect((await lakeLines("restart")).records).toHaveLength(100); // the first attempt's object

    // Records accepted after the crash, then the restarted object's flush.
    const again = env.TELEMETRY_BUFFER.get(shard.id);
    expect(await again.pending()).toMatchObject({ records: 100, intent: true });
    await again.append(
      "logs",
      HOUR,
      lines(5, "restart").map((l) => l.replace('"i":', '"late":1,"i":')),
    );
    expect(await again.flush()).toEqual({ objects: 2, records: 105 });
    const lake = await lakeLines("restart");
    expect(lake.records).toHaveLength(105);
    expect(new Set(lake.records.map((r) => `${r.late ?? 0}:${r.i}`)).size).toBe(105);
    expect(lake.objects).toBe(2);
  });

  it("refuses appends past its cap, with a wait, and stores none of them", async () => {
    const shard = freshShard();
    const answer = await runInDurableObject(shard, async (instance: TelemetryBuffer) => {
      const Buffer = instance.constructor as typeof TelemetryBuffer;
      const cap = Buffer.maxBufferBytes;
      Buffer.maxBufferBytes = 1000;
      try {
        return await instance.append("logs", HOUR, lines(100, "capped"));
      } finally {
        Buffer.maxBufferBytes = cap;
      }
    });
    expect(answer).toEqual({ accepted: false, retryAfterSeconds: expect.any(Number) });
    expect(await shard.pending()).toMatchObject({ records: 0 });
  });
});
