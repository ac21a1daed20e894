import { describe, expect, it } from "vitest";
import { MultipartError, multipartBoundary, readMultipart } from "../../src/http/multipart-stream";
import { concat, noise } from "../fixtures/bytes";

/**
 * The streaming multipart reader (src/http/multipart-stream.ts), against bodies encoded by the platform's own
 * FormData serializer, re-cut into chunks of every size.
 */

const LIMITS = { maxFieldBytes: 64 * 1024, maxFields: 20, maxHeaderBytes: 8 * 1024 };
const encoder = new TextEncoder();

async function encoded(form: FormData): Promise<{ bytes: Uint8Array; boundary: string }> {
  const request = new Request("http://localhost/", { method: "POST", body: form });
  const boundary = multipartBoundary(request.headers.get("content-type"));
  expect(boundary).not.toBeNull();
  return { bytes: new Uint8Array(await request.arrayBuffer()), boundary: boundary as string };
}

/** `bytes` as a stream of chunks of the given sizes (cycled). */
function chunked(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let at = 0;
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const n = sizes[i++ % sizes.length] as number;
      controller.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

interface ReadPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  bytes: Uint8Array;
}

async function readAll(stream: ReadableStream<Uint8Array>, boundary: string, limits = LIMITS): Promise<ReadPart[]> {
  const parts: ReadPart[] = [];
  for await (const part of readMultipart(stream, boundary, limits)) {
    const pieces: Uint8Array[] = [];
    for await (const chunk of part.body) pieces.push(chunk.slice());
    parts.push({ name: part.name, filename: part.filename, contentType: part.contentType, bytes: concat(pieces) });
  }
  return parts;
}

async function refusal(run: () => Promise<unknown>): Promise<MultipartError> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MultipartError);
  return error as MultipartError;
}

/** A binary full of near-delimiters: CRLF, dashes and the boundary's own prefix. */
function tricky(boundary: string): Uint8Array {
  const near = encoder.encode(`\r\n--${boundary.slice(0, -1)}X\r\n-\r\n--\r\r\n`);
  return concat([noise(100_000, 3), near, noise(5000, 4), near, encoder.encode("\r\n--"), noise(3, 5)]);
}

describe("readMultipart", () => {
  it("gives back fields and files byte for byte, however the body is cut into chunks", async () => {
    const form = new FormData();
    form.append("version", "2.4.1");
    form.append("notes", "Schlaf besser — 睡眠\r\nline two");
    const probe = await encoded(form); // learn the boundary style to build near-misses
    const binary = concat([noise(3 * 1024 * 1024, 7), tricky(probe.boundary)]);
    form.append("file", new File([binary], "fw.bin", { type: "application/octet-stream" }));
    form.append("hardware_revisions", "NW1");
    const { bytes, boundary } = await encoded(form);
    const expected = [
      { name: "version", filename: null, text: "2.4.1" },
      { name: "notes", filename: null, text: "Schlaf besser — 睡眠\r\nline two" },
    ];
    for (const sizes of [[bytes.length], [1], [7], [64 * 1024], [3, 1000, 1, 65_537, 2], [boundary.length + 3]]) {
      const source = sizes[0] === 1 ? bytes.subarray(0, 4000) : bytes; // 1-byte chunks: the fields only
      const parts = await readAll(chunked(source, sizes), boundary).catch((e: unknown) => e);
      if (sizes[0] === 1) {
        expect(parts).toBeInstanceOf(MultipartError); // cut mid-file: truncated
        continue;
      }
      const list = parts as ReadPart[];
      expect(
        list.map((p) => p.name),
        `chunks ${sizes}`,
      ).toEqual(["version", "notes", "file", "hardware_revisions"]);
      for (const [i, e] of expected.entries()) {
        expect(new TextDecoder().decode(list[i]?.bytes), `chunks ${sizes}`).toBe(e.text);
        expect(list[i]?.filename).toBeNull();
      }
      expect(list[2]?.filename).toBe("fw.bin");
      expect(list[2]?.contentType).toBe("application/octet-stream");
      expect(list[2]?.bytes.length, `chunks ${sizes}`).toBe(binary.length);
      expect(list[2]?.bytes, `chunks ${sizes}`).toEqual(binary);
      expect(new TextDecoder().decode(list[3]?.bytes)).toBe("NW1");
    }
  });

  it("1-byte chunks through a whole small form", async () => {
    const form = new FormData();
    form.append("a", "1");
    form.append("file", new File([tricky("x".repeat(30))], "f"));
    const { bytes, boundary } = await encoded(form);
    const parts = await readAll(chunked(bytes, [1]), boundary);
    expect(parts.map((p) => p.name)).toEqual(["a", "file"]);
    expect(parts[1]?.bytes).toEqual(tricky("x".repeat(30)));
  });

  it("skips the preamble and the epilogue, and parts the consumer leaves unread or half read", async () => {
    const boundary = "b0und";
    const body = encoder.encode(
      'preamble text\r\n--b0und\r\nContent-Disposition: form-data; name="skip"\r\n\r\n' +
        "x".repeat(100_000) +
        '\r\n--b0und\r\nContent-Disposition: form-data; name=half; filename="h.bin"\r\n\r\n' +
        "y".repeat(100_000) +
        '\r\n--b0und\r\ncontent-disposition: form-data; name="kept"\r\n\r\nvalue\r\n--b0und--\r\nepilogue --b0und\r\n',
    );
    const seen: string[] = [];
    let kept = "";
    for await (const part of readMultipart(chunked(body, [4096]), boundary, LIMITS)) {
      seen.push(part.name);
      if (part.name === "half") {
        for await (const chunk of part.body) {
          expect(chunk.length).toBeGreaterThan(0);
          break; // leave the rest
        }
      }
      if (part.name === "kept") kept = await part.text();
    }
    expect(seen).toEqual(["skip", "half", "kept"]);
    expect(kept).toBe("value");
  });

  it("an empty part, quoted names with escapes, transport padding after a boundary", async () => {
    const body = encoder.encode(
      '--z  \r\nContent-Disposition: form-data; name="a\\"b"\r\n\r\n\r\n--z\r\nContent-Disposition: form-data; name="c"; filename=""\r\n\r\nC\r\n--z--',
    );
    const parts = await readAll(chunked(body, [5]), "z");
    expect(parts.map((p) => [p.name, p.filename, p.bytes.length])).toEqual([
      ['a"b', null, 0],
      ["c", "", 1],
    ]);
  });

  it.each([
    ["no first boundary", "just some bytes", "closing"],
    ["a stream ending mid-part", '--q\r\nContent-Disposition: form-data; name="a"\r\n\r\nabc', "closing"],
    ["a stream ending in the headers", "--q\r\nContent-Disposition: form-data; na", "closing"],
    ["a part without a name", "--q\r\nContent-Disposition: form-data\r\n\r\nx\r\n--q--", "name"],
    ["a part that is not form-data", '--q\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--q--', "form-data"],
    ["a part without Content-Disposition", "--q\r\nContent-Type: text/plain\r\n\r\nx\r\n--q--", "form-data"],
    ["a malformed header line", "--q\r\nno colon here\r\n\r\nx\r\n--q--", "header"],
    [
      "garbage after a boundary",
      '--q garbage\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--q--',
      "boundary",
    ],
  ])("400 for %s", async (_, text, words) => {
    const error = await refusal(() => readAll(chunked(encoder.encode(text), [3]), "q"));
    expect(error.status).toBe(400);
    expect(error.message).toContain(words);
  });

  it("400 past maxFields or maxHeaderBytes; 413 for a text field past maxFieldBytes", async () => {
    const form = new FormData();
    for (let i = 0; i < 5; i++) form.append(`f${i}`, "v");
    const { bytes, boundary } = await encoded(form);
    expect((await refusal(() => readAll(chunked(bytes, [100]), boundary, { ...LIMITS, maxFields: 4 }))).status).toBe(
      400,
    );
    expect((await readAll(chunked(bytes, [100]), boundary, { ...LIMITS, maxFields: 5 })).length).toBe(5);

    const longHeader = encoder.encode(
      `--q\r\nContent-Disposition: form-data; name="a"\r\nX-Pad: ${"p".repeat(9000)}\r\n\r\nx\r\n--q--`,
    );
    expect((await refusal(() => readAll(chunked(longHeader, [1000]), "q"))).status).toBe(400);

    const big = new FormData();
    big.append("notes", "n".repeat(70_000));
    const field = await encoded(big);
    const error = await refusal(async () => {
      for await (const part of readMultipart(chunked(field.bytes, [8192]), field.boundary, LIMITS)) await part.text();
    });
    expect(error.status).toBe(413);
  });
});

describe("multipartBoundary", () => {
  it.each([
    ["multipart/form-data; boundary=abc", "abc"],
    ['multipart/form-data; boundary="a b:c"', "a b:c"],
    ["Multipart/Form-Data ; charset=utf-8; BOUNDARY=----WebKitFormBoundary7MA4YWxk", "----WebKitFormBoundary7MA4YWxk"],
    ["multipart/form-data", null],
    ["multipart/form-data; boundary=", null],
    [`multipart/form-data; boundary=${"x".repeat(71)}`, null],
    ["multipart/form-data; boundary=bad\u0001char", null],
    ["application/json", null],
    ["multipart/mixed; boundary=abc", null],
    [null, null],
  ])("%j → %j", (header, boundary) => {
    expect(multipartBoundary(header)).toBe(boundary);
  });
});
