import { concatBytes } from "../lib/encoding";
import {
  Delivery,
  decompressUpload,
  detectFormat,
  inflateChunks,
  tooLarge,
  type UnpackedUpload,
  type UploadLimits,
} from "./archive";
import { ArchiveError } from "./archive-error";
import { findSingleCentralFile, isIgnoredEntry, label } from "./zip-directory";

/**
 * `decompressUpload` over bytes as they arrive (the request body), never holding the upload whole (docs/measurements.md
 * "Streaming"): plain CSV and gzip go straight through; a zip whose one data file comes first and states its sizes in
 * its local header (fflate, Info-ZIP, most zip writers) is inflated as its bytes arrive, and only what follows the
 * data (the central directory) is kept, to check afterwards that the archive holds exactly that one file, of that
 * size. Any other zip (data descriptors, a folder entry first, zip64) is collected and read through its directory as
 * before: correct first, streamed where the archive allows.
 */

const LOCAL = 0x04034b50;
const MAX_U32 = 0xffffffff;
const u16 = (b: Uint8Array, at: number) => (b[at] as number) | ((b[at + 1] as number) << 8);
const u32 = (b: Uint8Array, at: number) => u16(b, at) + u16(b, at + 2) * 0x10000;

/** Pulls an async byte source: exact reads for headers, the rest as it comes. */
class ByteSource {
  readonly #chunks: AsyncIterator<Uint8Array>;
  #held: Uint8Array = new Uint8Array(0);
  #ended = false;
  /** Absolute offset of the first held byte. */
  #offset = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#chunks = source[Symbol.asyncIterator]();
  }

  /** Absolute offset of the next byte to be read. */
  get offset(): number {
    return this.#offset;
  }

  async #pull(): Promise<boolean> {
    if (this.#ended) return false;
    const { done, value } = await this.#chunks.next();
    if (done) {
      this.#ended = true;
      return false;
    }
    this.#held = this.#held.length === 0 ? value : concatBytes([this.#held, value], this.#held.length + value.length);
    return true;
  }

  /** At most `n` bytes from the front, without consuming them (fewer only at the end). */
  async peek(n: number): Promise<Uint8Array> {
    while (this.#held.length < n && (await this.#pull()));
    return this.#held.subarray(0, n);
  }

  /** Exactly `n` bytes, or null when the source ends first (what was held stays for `rest`). */
  async take(n: number): Promise<Uint8Array | null> {
    const bytes = await this.peek(n);
    if (bytes.length < n) return null;
    this.#held = this.#held.subarray(n);
    this.#offset += n;
    return bytes;
  }

  /** The next `limit` bytes (all that remain when omitted) as they arrive. */
  async *chunks(limit = Number.POSITIVE_INFINITY): AsyncGenerator<Uint8Array> {
    let left = limit;
    while (left > 0) {
      if (this.#held.length === 0 && !(await this.#pull())) return;
      const piece = this.#held.subarray(0, Math.min(left, this.#held.length));
      this.#held = this.#held.subarray(piece.length);
      this.#offset += piece.length;
      left -= piece.length;
      yield piece;
    }
  }

  /** Everything that remains, as one buffer. */
  rest(): Promise<Uint8Array> {
    return collectBytes(this.chunks());
  }
}

export async function decompressUploadStream(
  source: AsyncIterable<Uint8Array>,
  onData: (piece: Uint8Array) => void,
  limits: UploadLimits,
): Promise<UnpackedUpload> {
  const src = new ByteSource(source);
  const format = detectFormat(await src.peek(4));
  if (format === "zip") return unzipStream(src, onData, limits);
  const out = new Delivery(onData, limits.maxBytes);
  const deliver = out.deliver;
  try {
    if (format === "plain") {
      for await (const piece of src.chunks()) deliver(piece);
    } else {
      await inflateChunks(src.chunks(), "gzip", deliver);
    }
    return { format, bytes: out.total };
  } catch (error) {
    if (error instanceof ArchiveError || out.consumerFailed) throw error;
    throw new ArchiveError("CORRUPT", `corrupt ${format} data: ${error instanceof Error ? error.message : error}`);
  }
}

async function unzipStream(
  src: ByteSource,
  onData: (piece: Uint8Array) => void,
  limits: UploadLimits,
): Promise<UnpackedUpload> {
  const header = await src.take(30);
  const fallback = async (...read: Uint8Array[]) => {
    return decompressUpload(concatBytes([...read, await src.rest()]), onData, limits);
  };
  if (header === null || u32(header, 0) !== LOCAL) return fallback(...(header ? [header] : []));
  const nameAndExtra = await src.take(u16(header, 26) + u16(header, 28));
  if (nameAndExtra === null) return fallback(header);
  const name = new TextDecoder().decode(nameAndExtra.subarray(0, u16(header, 26)));
  const flags = u16(header, 6);
  const method = u16(header, 8);
  const compressedSize = u32(header, 18);
  const uncompressedSize = u32(header, 22);
  const streamable =
    (flags & 0b1001) === 0 && // not encrypted, sizes in the local header (no data descriptor)
    (method === 0 || method === 8) &&
    compressedSize !== MAX_U32 &&
    uncompressedSize !== MAX_U32 &&
    !isIgnoredEntry(name);
  if (!streamable) return fallback(header, nameAndExtra);
  if (uncompressedSize > limits.maxBytes) throw tooLarge(limits.maxBytes);

  const out = new Delivery(onData, limits.maxBytes);
  const deliver = out.deliver;
  const dataStart = src.offset;
  try {
    if (method === 0) {
      for await (const piece of src.chunks(compressedSize)) deliver(piece);
    } else {
      await inflateChunks(src.chunks(compressedSize), "deflate-raw", deliver);
    }
  } catch (error) {
    if (error instanceof ArchiveError || out.consumerFailed) throw error;
    throw new ArchiveError("CORRUPT", `corrupt zip data: ${error instanceof Error ? error.message : error}`);
  }
  if (src.offset !== dataStart + compressedSize) {
    throw new ArchiveError("CORRUPT", "corrupt zip archive: truncated");
  }
  // The directory decides, as for an archive read whole: exactly one data file, and it is the one just inflated.
  const tailStart = src.offset;
  const file = findSingleCentralFile(await src.rest(), tailStart);
  if (file.localOffset !== 0 || file.name !== name || file.compressedSize !== compressedSize) {
    throw new ArchiveError("CORRUPT", `corrupt zip archive: the directory does not describe ${label(name)}`);
  }
  if (out.total !== file.uncompressedSize || out.total !== uncompressedSize) {
    throw new ArchiveError("CORRUPT", `corrupt zip archive: ${label(name)} is not the size its directory records`);
  }
  return { format: "zip", entryName: name, bytes: out.total };
}

/** All of a byte source, as one buffer (pieces are copied: a source may reuse its buffers). */
export async function collectBytes(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const piece of source) {
    parts.push(piece.slice());
    length += piece.length;
  }
  return concatBytes(parts, length);
}
