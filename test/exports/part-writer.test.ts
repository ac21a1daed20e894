import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MIN_PART_BYTES, R2PartWriter } from "../../src/exports/part-writer";
import { noise } from "../fixtures/bytes";

/** The R2 multipart writer (src/exports/part-writer.ts) against the local EXPORTS bucket. */

const readBack = async (key: string) =>
  new Uint8Array(await ((await env.EXPORTS.get(key)) as R2ObjectBody).arrayBuffer());

describe("R2PartWriter", () => {
  it("a small object is one short part", async () => {
    const key = `test/part-writer/${crypto.randomUUID()}`;
    const writer = await R2PartWriter.start(env.EXPORTS, key, { httpMetadata: { contentType: "application/zip" } });
    await writer.write(new Uint8Array([1, 2, 3]));
    const object = await writer.finish();
    expect(object.size).toBe(3);
    expect(await readBack(key)).toEqual(new Uint8Array([1, 2, 3]));
    expect((await env.EXPORTS.head(key))?.httpMetadata?.contentType).toBe("application/zip");
  });

  it("13 MiB in odd pieces become equal 5 MiB parts and a short last one, read back identical", async () => {
    const key = `test/part-writer/${crypto.randomUUID()}`;
    const data = noise(13 * 1024 * 1024 + 12_345, 3);
    const writer = await R2PartWriter.start(env.EXPORTS, key, { partBytes: MIN_PART_BYTES });
    for (let at = 0, step = 1; at < data.length; at += step, step = 1 + ((step * 31 + 7) % 3_000_000)) {
      await writer.write(data.subarray(at, at + step));
    }
    expect(writer.bytes).toBe(data.length);
    const object = await writer.finish();
    expect(object.size).toBe(data.length);
    expect(await readBack(key)).toEqual(data);
  });

  it("nothing written is an empty object", async () => {
    const key = `test/part-writer/${crypto.randomUUID()}`;
    const writer = await R2PartWriter.start(env.EXPORTS, key);
    expect((await writer.finish()).size).toBe(0);
  });

  it("abort leaves no object, and is safe to repeat", async () => {
    const key = `test/part-writer/${crypto.randomUUID()}`;
    const writer = await R2PartWriter.start(env.EXPORTS, key, { partBytes: MIN_PART_BYTES });
    await writer.write(noise(MIN_PART_BYTES + 10, 5));
    await writer.abort();
    await writer.abort();
    expect(await env.EXPORTS.head(key)).toBeNull();
    await expect(writer.write(new Uint8Array(1))).rejects.toThrow(/finished/);
  });

  it("refuses parts under 5 MiB", async () => {
    await expect(R2PartWriter.start(env.EXPORTS, "test/x", { partBytes: 1024 })).rejects.toThrow(RangeError);
  });
});
