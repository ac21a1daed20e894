/**
 * A streaming `multipart/form-data` reader (RFC 7578 over RFC 2046 §5.1): parts come out one at a time and a part's
 * body chunk by chunk as the request delivers it, so a 100 MB firmware binary goes to R2 without being held whole
 * (Hono's parseBody and Request.formData() both buffer every part).
 *
 * - The delimiter is CRLF `--boundary`; the stream is read as if it began with a CRLF, so the first boundary needs
 *   none, and whatever precedes it (the preamble) is skipped, as is everything after the closing `--boundary--`.
 * - The delimiter is found with the native `indexOf` of its first byte, then a comparison; bytes of a body are
 *   handed on as soon as they cannot be part of a delimiter, so at most the delimiter's length is held back.
 * - Pull-based: the request is read only when the consumer asks for more, so a slow consumer bounds memory.
 * - A part whose body the consumer leaves unread, or half read, is skipped when the next part is asked for.
 */

export class MultipartError extends Error {
  override readonly name = "MultipartError";
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

export interface MultipartLimits {
  /** Bytes of a text field read through `text()`. */
  maxFieldBytes: number;
  /** Parts in the body. */
  maxFields: number;
  /** Bytes of one part's header block. */
  maxHeaderBytes: number;
}

export interface MultipartPart {
  name: string;
  /** The `filename` of the part's Content-Disposition; null for a plain field. */
  filename: string | null;
  contentType: string | null;
  /** The body's bytes as they arrive; views into the reader's buffers, valid until the consumer drops them. */
  body: AsyncIterable<Uint8Array>;
  /** The whole body as UTF-8 text, at most `maxFieldBytes` (413 beyond). */
  text(): Promise<string>;
}

const CR = 13;
const LF = 10;
const DASH = 45;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CRLFCRLF = encoder.encode("\r\n\r\n");

/** The boundary of a `multipart/form-data` Content-Type, or null (another type, or no valid boundary). */
export function multipartBoundary(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const [type, ...params] = contentType.split(";");
  if (type?.trim().toLowerCase() !== "multipart/form-data") return null;
  for (const param of params) {
    const eq = param.indexOf("=");
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "boundary") continue;
    let value = param.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    // RFC 2046 §5.1.1: 1-70 characters of bchars, not ending in a space.
    return /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(value) ? value : null;
  }
  return null;
}

/** Where `needle` starts in `hay` at or after `from`, or -1. */
function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0] as number;
  const last = hay.length - needle.length;
  for (let i = hay.indexOf(first, from); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** The unread bytes of the request: `buf[pos…]`, refilled one chunk at a time. Buffers are never written again. */
class Input {
  buf: Uint8Array;
  pos = 0;
  #ended = false;

  constructor(
    readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    start: Uint8Array,
  ) {
    this.buf = start;
  }

  get available(): number {
    return this.buf.length - this.pos;
  }

  /** Appends the next chunk; false at the end of the request. */
  async fill(): Promise<boolean> {
    if (this.#ended) return false;
    for (;;) {
      const { done, value } = await this.reader.read();
      if (done) {
        this.#ended = true;
        return false;
      }
      if (value.length === 0) continue;
      const rest = this.buf.subarray(this.pos);
      if (rest.length === 0) {
        this.buf = value;
      } else {
        const joined = new Uint8Array(rest.length + value.length);
        joined.set(rest);
        joined.set(value, rest.length);
        this.buf = joined;
      }
      this.pos = 0;
      return true;
    }
  }

  /** At least `n` unread bytes, or false at the end. */
  async ensure(n: number): Promise<boolean> {
    while (this.available < n) if (!(await this.fill())) return false;
    return true;
  }
}

const truncated = () => new MultipartError(400, "The multipart body ends before its closing boundary");

/** Parameters of a header value such as `form-data; name="file"; filename="a.bin"` (quoted or token values). */
function headerParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const m of value.matchAll(pattern)) {
    const key = (m[1] as string).toLowerCase();
    const raw = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "").trim();
    if (!params.has(key)) params.set(key, raw);
  }
  return params;
}

function parseHeaders(block: string): { name: string; filename: string | null; contentType: string | null } {
  let disposition: string | null = null;
  let contentType: string | null = null;
  for (const line of block.split("\r\n")) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new MultipartError(400, "A multipart part has a malformed header line");
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-disposition") disposition = value;
    else if (key === "content-type") contentType = value;
  }
  if (disposition === null || disposition.split(";")[0]?.trim().toLowerCase() !== "form-data") {
    throw new MultipartError(400, "A multipart part lacks `Content-Disposition: form-data`");
  }
  const params = headerParams(disposition);
  const name = params.get("name");
  if (name === undefined || name === "") throw new MultipartError(400, "A multipart part has no field name");
  return { name, filename: params.get("filename") ?? null, contentType };
}

/** The parts of a multipart body, in order. Throws MultipartError on malformed input or past a limit. */
export async function* readMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  limits: MultipartLimits,
): AsyncGenerator<MultipartPart> {
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  const input = new Input(body.getReader(), encoder.encode("\r\n"));
  let finished = false;

  /** The next bytes of the current body before the delimiter, or null once the delimiter is reached. */
  let atDelimiter = false;
  const nextChunk = async (): Promise<Uint8Array | null> => {
    while (!atDelimiter) {
      const at = indexOfBytes(input.buf, delimiter, input.pos);
      if (at >= 0) {
        atDelimiter = true;
        const chunk = input.buf.subarray(input.pos, at);
        input.pos = at;
        if (chunk.length > 0) return chunk;
        break;
      }
      // Everything but a possible delimiter start at the very end can go.
      const safe = input.buf.length - (delimiter.length - 1);
      if (safe > input.pos) {
        const chunk = input.buf.subarray(input.pos, safe);
        input.pos = safe;
        return chunk;
      }
      if (!(await input.fill())) throw truncated();
    }
    return null;
  };

  try {
    // The preamble: skipped up to the first delimiter.
    while ((await nextChunk()) !== null) {
      // discard
    }
    for (let parts = 0; ; parts++) {
      input.pos += delimiter.length;
      atDelimiter = false;
      if (!(await input.ensure(2))) throw truncated();
      if (input.buf[input.pos] === DASH && input.buf[input.pos + 1] === DASH) {
        finished = true;
        return;
      }
      // Transport padding (spaces, tabs) may follow a delimiter before its CRLF (RFC 2046 §5.1.1).
      for (;;) {
        if (!(await input.ensure(2))) throw truncated();
        const b = input.buf[input.pos];
        if (b === 32 || b === 9) input.pos++;
        else break;
      }
      if (input.buf[input.pos] !== CR || input.buf[input.pos + 1] !== LF) {
        throw new MultipartError(400, "A multipart boundary line is malformed");
      }
      input.pos += 2;
      if (parts >= limits.maxFields) throw new MultipartError(400, `More than ${limits.maxFields} multipart parts`);
      const headers = parseHeaders(await readHeaderBlock(input, limits.maxHeaderBytes));

      const chunks: AsyncIterable<Uint8Array> = {
        [Symbol.asyncIterator]: () => ({
          next: async () => {
            const chunk = await nextChunk();
            return chunk === null ? { done: true, value: undefined } : { done: false, value: chunk };
          },
          // Leaving a loop early keeps the reader where it is; the rest is skipped before the next part.
          return: async () => ({ done: true, value: undefined }),
        }),
      };
      yield {
        ...headers,
        body: chunks,
        text: async () => {
          const pieces: Uint8Array[] = [];
          let size = 0;
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > limits.maxFieldBytes) {
              throw new MultipartError(413, `Field ${headers.name} is longer than ${limits.maxFieldBytes} bytes`);
            }
            pieces.push(chunk);
          }
          const all = new Uint8Array(size);
          let at = 0;
          for (const p of pieces) {
            all.set(p, at);
            at += p.length;
          }
          return decoder.decode(all);
        },
      };
      while ((await nextChunk()) !== null) {
        // the unread rest of the part
      }
    }
  } finally {
    if (!finished) await input.reader.cancel().catch(() => undefined);
    input.reader.releaseLock();
  }
}

/** A part's header block up to the blank line (consumed), as text. An empty block is a bare CRLF. */
async function readHeaderBlock(input: Input, maxBytes: number): Promise<string> {
  if (!(await input.ensure(2))) throw truncated();
  if (input.buf[input.pos] === CR && input.buf[input.pos + 1] === LF) {
    input.pos += 2;
    return "";
  }
  for (;;) {
    const end = indexOfBytes(input.buf, CRLFCRLF, input.pos);
    if (end >= 0) {
      if (end - input.pos > maxBytes) break;
      const block = decoder.decode(input.buf.subarray(input.pos, end));
      input.pos = end + 4;
      return block;
    }
    if (input.available > maxBytes) break;
    if (!(await input.fill())) throw truncated();
  }
  throw new MultipartError(400, `A multipart part's headers are longer than ${maxBytes} bytes`);
}
