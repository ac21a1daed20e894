import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { parseRange, serveR2Object } from "../../src/http/r2-object";
import { ApiError } from "../../src/lib/errors";

/** Serving an R2 object with byte ranges (src/http/r2-object.ts; RFC 9110 §13-14). */

const KEY = `test/r2-object/${crypto.randomUUID()}`;
const SIZE = 100_000;
const data = Uint8Array.from({ length: SIZE }, (_, i) => (i * 31) % 251);
let etag = "";

beforeAll(async () => {
  etag = ((await env.EXPORTS.put(KEY, data)) as R2Object).httpEtag;
});

const serve = (headers: Record<string, string> = {}) =>
  serveR2Object(new Request("http://localhost/x", { headers }), env.EXPORTS, KEY, {
    "content-type": "application/zip",
  });

async function body(response: Response | null) {
  expect(response).not.toBeNull();
  return new Uint8Array(await (response as Response).arrayBuffer());
}

describe("serveR2Object", () => {
  it("200: the whole object with its validators and the given headers", async () => {
    const res = await serve();
    expect(res?.status).toBe(200);
    expect(Object.fromEntries(res?.headers ?? [])).toMatchObject({
      "content-length": String(SIZE),
      "content-type": "application/zip",
      "accept-ranges": "bytes",
      etag,
    });
    expect(res?.headers.get("last-modified")).toMatch(/GMT$/);
    expect(await body(res)).toEqual(data);
  });

  it.each([
    ["bytes=0-99", 0, 99],
    ["bytes=99990-", 99_990, SIZE - 1],
    ["bytes=-10", SIZE - 10, SIZE - 1],
    ["bytes=50000-999999", 50_000, SIZE - 1],
    ["bytes=-200000", 0, SIZE - 1],
  ])("%s: 206 with Content-Range", async (range, first, last) => {
    const res = await serve({ range });
    expect(res?.status).toBe(206);
    expect(res?.headers.get("content-range")).toBe(`bytes ${first}-${last}/${SIZE}`);
    expect(res?.headers.get("content-length")).toBe(String(last - first + 1));
    expect(await body(res)).toEqual(data.subarray(first, last + 1));
  });

  it.each(["bytes=0-1,5-6", "items=0-1", "bytes=abc", "bytes=10-5", "bytes=-"])(
    "%s: ignored, 200 with the whole object",
    async (range) => {
      const res = await serve({ range });
      expect(res?.status).toBe(200);
      expect((await body(res)).length).toBe(SIZE);
    },
  );

  it.each([`bytes=${SIZE}-`, "bytes=-0", `bytes=${SIZE + 5}-${SIZE + 9}`])(
    "%s: 416 with bytes */size",
    async (range) => {
      const refusal = await serve({ range }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(ApiError);
      expect(refusal).toMatchObject({
        code: "RANGE_NOT_SATISFIABLE",
        status: 416,
        headers: { "Content-Range": `bytes */${SIZE}` },
      });
    },
  );

  it("If-Range: the current ETag keeps the range, another validator sends the whole object", async () => {
    expect((await serve({ range: "bytes=0-9", "if-range": etag }))?.status).toBe(206);
    expect((await serve({ range: "bytes=0-9", "if-range": '"stale"' }))?.status).toBe(200);
    expect((await serve({ range: "bytes=0-9", "if-range": `W/${etag}` }))?.status).toBe(200);
    expect((await serve({ range: "bytes=0-9", "if-range": "Mon, 01 Jan 2001 00:00:00 GMT" }))?.status).toBe(200);
  });

  it("If-None-Match with the ETag: 304 without a body", async () => {
    const res = await serve({ "if-none-match": etag });
    expect(res?.status).toBe(304);
    expect(res?.headers.get("etag")).toBe(etag);
    expect(res?.headers.get("content-type")).toBeNull(); // the representation's own headers stay out of a 304
    expect((await body(res)).length).toBe(0);
  });

  it("a missing object answers null", async () => {
    expect(await serveR2Object(new Request("http://localhost/x"), env.EXPORTS, "test/r2-object/missing")).toBeNull();
  });

  it("parseRange on an empty object: a first-pos range is unsatisfiable, a non-zero suffix is the whole (empty) object", () => {
    expect(parseRange("bytes=0-", 0)).toBe("unsatisfiable");
    expect(parseRange("bytes=-0", 0)).toBe("unsatisfiable");
    expect(parseRange("bytes=-5", 0)).toBeNull();
    expect(parseRange(null, 0)).toBeNull();
  });

  it("HEAD: the headers of the GET, no body", async () => {
    const whole = await serveR2Object(new Request("http://localhost/x", { method: "HEAD" }), env.EXPORTS, KEY);
    expect(whole?.status).toBe(200);
    expect(whole?.headers.get("content-length")).toBe(String(SIZE));
    expect(whole?.headers.get("etag")).toBe(etag);
    expect(whole?.body).toBeNull();
    const part = await serveR2Object(
      new Request("http://localhost/x", { method: "HEAD", headers: { range: "bytes=10-19" } }),
      env.EXPORTS,
      KEY,
    );
    expect(part?.status).toBe(206);
    expect(part?.headers.get("content-range")).toBe(`bytes 10-19/${SIZE}`);
    expect(part?.headers.get("content-length")).toBe("10");
  });
});
