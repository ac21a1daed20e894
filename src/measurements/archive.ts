import { ArchiveError } from "./archive-error";
import { findSingleEntry, label } from "./zip-directory";

export { ArchiveError, type ArchiveErrorCode } from "./archive-error";

/**
 * Unpacks an upload by its content, not its name (docs/measurements.md "Upload rules"): a zip holding exactly one
 * file, a gzip stream, or else plain CSV text. Decompressed bytes go to `onData` piece by piece, so a month of 1 Hz
 * CSV (~40 MB) never exists in memory at once, and the zip-bomb guard stops as soon as `maxBytes` is passed.
 */

export type UploadFormat = "zip" | "gzip" | "plain";

/** Compressed bytes handed to the inflater at a time. */
const INPUT_STEP = 256 * 1024;

export interface UploadLimits {
  /** Most decompressed bytes accepted. */
  maxBytes: number;
}

export interface UnpackedUpload {
  format: UploadFormat;
  /** The file's name inside a zip archive. */
  entryName?: string;
  /** Decompressed bytes delivered to onData. */
  bytes: number;
}

/** Stored (uncompressed) zip data and plain text are delivered in pieces of this size. */
const PLAIN_STEP = 1024 * 1024;

export function detectFormat(bytes: Uint8Array): UploadFormat {
  // "PK" then 03 04 (a local file header) or 05 06 (an empty archive's end record) or 07 08 (a spanned archive).
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const [c, d] = [bytes[2], bytes[3]];
    if ((c === 3 && d === 4) || (c === 5 && d === 6) || (c === 7 && d === 8)) return "zip";
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return "gzip";
  return "plain";
}

/**
 * Hands decompressed pieces to the consumer and counts them: past `maxBytes` it throws TOO_LARGE before delivering
 * more, and it remembers whether a failure was the consumer's own (e.g. a CsvError, which must reach the caller
 * unchanged) or the archive's.
 */
export class Delivery {
  total = 0;
  consumerFailed = false;

  constructor(
    private readonly onData: (piece: Uint8Array) => void,
    private readonly maxBytes: number,
  ) {}

  readonly deliver = (piece: Uint8Array): void => {
    if (piece.length === 0) return;
    this.total += piece.length;
    if (this.total > this.maxBytes) throw tooLarge(this.maxBytes);
    try {
      this.onData(piece);
    } catch (error) {
      this.consumerFailed = true;
      throw error;
    }
  };
}

export async function decompressUpload(
  bytes: Uint8Array,
  onData: (piece: Uint8Array) => void,
  limits: UploadLimits,
): Promise<UnpackedUpload> {
  const out = new Delivery(onData, limits.maxBytes);
  const deliver = out.deliver;
  const format = detectFormat(bytes);
  try {
    if (format === "plain") {
      if (bytes.length > limits.maxBytes) throw tooLarge(limits.maxBytes);
      for (let at = 0; at < bytes.length; at += PLAIN_STEP) deliver(bytes.subarray(at, at + PLAIN_STEP));
      return { format, bytes: out.total };
    }
    if (format === "gzip") {
      await inflateNative(bytes, "gzip", deliver);
      return { format, bytes: out.total };
    }
    const entry = findSingleEntry(bytes);
    if (entry.uncompressedSize > limits.maxBytes) throw tooLarge(limits.maxBytes);
    const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
    if (entry.method === 0) {
      for (let at = 0; at < data.length; at += PLAIN_STEP) deliver(data.subarray(at, at + PLAIN_STEP));
    } else {
      await inflateNative(data, "deflate-raw", deliver);
    }
    // The directory's size is checked after the fact too: a mismatch means a damaged or doctored archive.
    if (out.total !== entry.uncompressedSize) {
      throw new ArchiveError(
        "CORRUPT",
        `corrupt zip archive: ${label(entry.name)} is not the size its directory records`,
      );
    }
    return { format, entryName: entry.name, bytes: out.total };
  } catch (error) {
    if (error instanceof ArchiveError || out.consumerFailed) throw error;
    // Anything else comes from the inflater ("invalid block type", "unexpected end of file", ...).
    const why = error instanceof Error ? error.message : String(error);
    throw new ArchiveError("CORRUPT", `corrupt ${format} data: ${why}`);
  }
}

/**
 * Inflates with the runtime's native zlib (DecompressionStream), about twice as fast as fflate in workerd, handing
 * each output piece to `deliver` as it comes. When `deliver` throws (size cap, a bad CSV row), the stream is cancelled
 * at once: nothing more is inflated.
 */
async function inflateNative(
  data: Uint8Array,
  format: "gzip" | "deflate-raw",
  deliver: (piece: Uint8Array) => void,
): Promise<void> {
  await inflateChunks([data], format, deliver);
}

/**
 * The same over compressed bytes that arrive in pieces (a request body): each piece is written, in slices, when the
 * inflater wants more, so its backpressure bounds what is held, compressed and inflated, whatever the upload's size.
 */
export async function inflateChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  format: "gzip" | "deflate-raw",
  deliver: (piece: Uint8Array) => void,
): Promise<void> {
  const stream = new DecompressionStream(format);
  const writer = stream.writable.getWriter();
  const written = (async () => {
    for await (const data of chunks) {
      for (let at = 0; at < data.length; at += INPUT_STEP) {
        await writer.ready;
        await writer.write(data.subarray(at, at + INPUT_STEP));
      }
    }
    await writer.close();
  })();
  written.catch(() => {}); // its failure surfaces through the reader below
  const reader = stream.readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      deliver(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    await writer.abort().catch(() => {});
    throw error;
  }
  await written;
}

export function tooLarge(maxBytes: number): ArchiveError {
  return new ArchiveError("TOO_LARGE", `the decompressed upload is larger than ${maxBytes} bytes`);
}
