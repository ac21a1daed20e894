import { ApiError } from "../lib/errors";

/**
 * Serves an R2 object over HTTP so that an interrupted download resumes (RFC 9110 §13-14): `ETag`, one byte range
 * (`Range: bytes=a-b | a- | -n`, 206), `If-Range` and `If-None-Match`. The body streams from R2, never buffered.
 * Used by export results, and by firmware downloads.
 */

export type ByteRange = { offset: number; length: number };

/**
 * The one range of a `Range` header against an object of `size` bytes: a range, "unsatisfiable" (416), or null to
 * send the whole object (no header, another unit, several ranges or a malformed one: RFC 9110 §14.2 lets a server
 * ignore what it does not support).
 */
export function parseRange(header: string | null, size: number): ByteRange | "unsatisfiable" | null {
  if (header === null) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === "" && last === "") return null;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) return "unsatisfiable";
    // A non-zero suffix is satisfiable whatever the size (§14.1.1); of an empty object that is the whole of it.
    if (size === 0) return null;
    const length = Math.min(suffix, size);
    return { offset: size - length, length };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== "" && Number(last) < start) return null; // invalid: ignored (§14.1.1)
  if (start >= size) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}

/** Whether an `If-Range` validator still names this representation: a strong ETag match, or the exact date. */
function ifRangeHolds(value: string, etag: string, uploaded: Date): boolean {
  const v = value.trim();
  if (v.startsWith('"')) return v === etag; // strong comparison: a weak validator never matches (§13.1.5)
  if (v.startsWith("W/")) return false;
  const date = Date.parse(v);
  return !Number.isNaN(date) && Math.floor(uploaded.getTime() / 1000) === Math.floor(date / 1000);
}

function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag); // weak comparison (§13.1.2)
}

/** The object as a response, or null when it does not exist. A range outside it throws a 416 ApiError. */
export async function serveR2Object(
  request: Request,
  bucket: R2Bucket,
  key: string,
  headers: Record<string, string> = {},
): Promise<Response | null> {
  const head = await bucket.head(key);
  if (head === null) return null;
  const etag = head.httpEtag;
  const common: Record<string, string> = {
    ...headers,
    etag,
    "accept-ranges": "bytes",
    "last-modified": head.uploaded.toUTCString(),
  };
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch !== null && etagMatches(ifNoneMatch, etag)) {
    // A 304 carries the validators and caching fields only (§15.4.5), not the representation's own headers.
    const kept = ["cache-control", "expires", "vary"].filter((name) => name in headers);
    const validators = Object.fromEntries(kept.map((name) => [name, headers[name] as string]));
    return new Response(null, {
      status: 304,
      headers: { ...validators, etag, "last-modified": common["last-modified"] as string },
    });
  }

  const ifRange = request.headers.get("if-range");
  const rangeHeader =
    ifRange === null || ifRangeHolds(ifRange, etag, head.uploaded) ? request.headers.get("range") : null;
  const range = parseRange(rangeHeader, head.size);
  if (range === "unsatisfiable") {
    throw new ApiError("RANGE_NOT_SATISFIABLE", `The range lies outside the ${head.size} bytes of the object`, {
      "Content-Range": `bytes */${head.size}`,
    });
  }
  if (request.method === "HEAD") {
    // The headers a GET would send, without reading the object.
    const length = range === null ? head.size : range.length;
    const extra: Record<string, string> = range === null ? {} : { "content-range": contentRange(range, head.size) };
    return new Response(null, {
      status: range === null ? 200 : 206,
      headers: { ...common, ...extra, "content-length": String(length) },
    });
  }
  // `onlyIf` on the etag: an object replaced between head and get is not answered with the old validators.
  const object = await bucket.get(key, { range: range ?? undefined, onlyIf: { etagMatches: head.etag } });
  if (object === null || !("body" in object)) return null;
  if (range === null) {
    return new Response(object.body, { status: 200, headers: { ...common, "content-length": String(head.size) } });
  }
  return new Response(object.body, {
    status: 206,
    headers: {
      ...common,
      "content-length": String(range.length),
      "content-range": contentRange(range, head.size),
    },
  });
}

const contentRange = (range: ByteRange, size: number) =>
  `bytes ${range.offset}-${range.offset + range.length - 1}/${size}`;
