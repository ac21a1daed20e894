import { Gunzip, Inflate } from "fflate";
import { ArchiveError } from "./archive-error";
import { findSingleEntry, label } from "./zip-directory";

export { ArchiveError, type ArchiveErrorCode } from "./archive-error";

/**
 * Unpacks an upload by its content, not its name (docs/measurements.md "Upload rules"): a zip holding exactly one
 * file, a gzip stream, or else plain CSV text. Decompressed bytes go to `onData` piece by piece, so a month of 1 Hz
 * CSV (~40 MB) never exists in memory at once, and the zip-bomb guard stops as soon as `maxBytes` is passed.
 */

export type UploadFormat = "zip" | "gzip" | "plain";

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

/** Compressed bytes per inflate step: deflate expands at most ~1032:1, so one step yields at most ~16 MB. */
const INPUT_STEP = 16 * 1024;
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

export function decompressUpload(
  bytes: Uint8Array,
  onData: (piece: Uint8Array) => void,
  limits: UploadLimits,
): UnpackedUpload {
  let total = 0;
  let consumerFailed = false;
  const deliver = (piece: Uint8Array) => {
    if (piece.length === 0) return;
    total += piece.length;
    if (total > limits.maxBytes) throw tooLarge(limits.maxBytes);
    try {
      onData(piece);
    } catch (error) {
      consumerFailed = true; // the consumer's own error (e.g. a CsvError) must reach the caller unchanged
      throw error;
    }
  };
  const format = detectFormat(bytes);
  try {
    if (format === "plain") {
      if (bytes.length > limits.maxBytes) throw tooLarge(limits.maxBytes);
      for (let at = 0; at < bytes.length; at += PLAIN_STEP) deliver(bytes.subarray(at, at + PLAIN_STEP));
      return { format, bytes: total };
    }
    if (format === "gzip") {
      const gunzip = new Gunzip((piece) => deliver(piece));
      pushInSteps(bytes, (step, final) => gunzip.push(step, final));
      return { format, bytes: total };
    }
    const entry = findSingleEntry(bytes);
    if (entry.uncompressedSize > limits.maxBytes) throw tooLarge(limits.maxBytes);
    const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
    if (entry.method === 0) {
      for (let at = 0; at < data.length; at += PLAIN_STEP) deliver(data.subarray(at, at + PLAIN_STEP));
    } else {
      const inflate = new Inflate((piece) => deliver(piece));
      pushInSteps(data, (step, final) => inflate.push(step, final));
    }
    // The directory's size is checked after the fact too: a mismatch means a damaged or doctored archive.
    if (total !== entry.uncompressedSize) {
      throw new ArchiveError(
        "CORRUPT",
        `corrupt zip archive: ${label(entry.name)} is not the size its directory records`,
      );
    }
    return { format, entryName: entry.name, bytes: total };
  } catch (error) {
    if (error instanceof ArchiveError || consumerFailed) throw error;
    // Anything else comes from the inflater (fflate: "invalid block type", "unexpected EOF", ...).
    const why = error instanceof Error ? error.message : String(error);
    throw new ArchiveError("CORRUPT", `corrupt ${format} data: ${why}`);
  }
}

/** Feeds `data` in INPUT_STEP slices, flagging the last; an empty input still gets its final push. */
function pushInSteps(data: Uint8Array, push: (step: Uint8Array, final: boolean) => void): void {
  if (data.length === 0) {
    push(data, true);
    return;
  }
  for (let at = 0; at < data.length; at += INPUT_STEP) {
    push(data.subarray(at, at + INPUT_STEP), at + INPUT_STEP >= data.length);
  }
}

function tooLarge(maxBytes: number): ArchiveError {
  return new ArchiveError("TOO_LARGE", `the decompressed upload is larger than ${maxBytes} bytes`);
}
