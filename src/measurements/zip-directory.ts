import { ArchiveError } from "./archive-error";

/**
 * Reads a zip's central directory (APPNOTE.TXT 6.3.10 §4.3.12, §4.3.16; zip64 §4.3.14, §4.5.3) to find the one data
 * file of an upload. The whole upload is in memory, so the directory at the end is authoritative: sizes are exact
 * even when local headers defer them to data descriptors (macOS Archive Utility does), and no signature scan over
 * compressed data can be fooled.
 */

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate (the only two accepted). */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the entry's compressed bytes in the archive. */
  dataOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_U16 = 0xffff;
const MAX_U32 = 0xffffffff;

const corrupt = (why: string) => new ArchiveError("CORRUPT", `corrupt zip archive: ${why}`);

/** Little-endian fields at absolute archive offsets, from `bytes`, which begin at offset `base` of the archive. */
class Reader {
  constructor(
    readonly bytes: Uint8Array,
    readonly base = 0,
  ) {}

  /** The absolute offset one past the last byte held. */
  get end(): number {
    return this.base + this.bytes.length;
  }

  u16(at: number): number {
    const i = at - this.base;
    if (i < 0 || i + 2 > this.bytes.length) throw corrupt("truncated");
    return (this.bytes[i] as number) | ((this.bytes[i + 1] as number) << 8);
  }

  u32(at: number): number {
    return this.u16(at) + this.u16(at + 2) * 0x10000;
  }

  u64(at: number): number {
    const value = this.u32(at) + this.u32(at + 4) * 0x1_0000_0000;
    if (!Number.isSafeInteger(value)) throw corrupt("64-bit field out of range");
    return value;
  }
}

/** Entries that are not data: folders, and the metadata macOS and Finder add when zipping. */
export function isIgnoredEntry(name: string): boolean {
  const base = name.slice(name.lastIndexOf("/") + 1);
  return name.endsWith("/") || name.startsWith("__MACOSX/") || name.includes("/__MACOSX/") || base === ".DS_Store";
}

/** Returns the single data file of the archive, or throws an ArchiveError saying why there is not exactly one. */
export function findSingleEntry(bytes: Uint8Array): ZipEntry {
  const r = new Reader(bytes);
  const { name, method, compressedSize, uncompressedSize, localOffset } = centralFile(r);
  if (r.u32(localOffset) !== LOCAL) throw corrupt(`local header of ${label(name)} missing`);
  const dataOffset = localOffset + 30 + r.u16(localOffset + 26) + r.u16(localOffset + 28);
  if (dataOffset + compressedSize > r.end) throw corrupt(`data of ${label(name)} out of range`);
  return { name, method, compressedSize, uncompressedSize, dataOffset };
}

/** The single data file as the central directory records it (its local header and data may be gone). */
export interface CentralFile {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

/**
 * The single data file recorded by the directory in `tail`: the end of an archive, from absolute offset `base` on (a
 * streamed upload keeps only what follows the data it inflated). The same refusals as `findSingleEntry`.
 */
export function findSingleCentralFile(tail: Uint8Array, base: number): CentralFile {
  return centralFile(new Reader(tail, base));
}

function centralFile(r: Reader): CentralFile {
  const eocd = findEocd(r);
  let entries = r.u16(eocd + 10);
  let size = r.u32(eocd + 12);
  let offset = r.u32(eocd + 16);
  if (r.u16(eocd + 4) !== 0 || r.u16(eocd + 6) !== 0) {
    throw new ArchiveError("UNSUPPORTED", "multi-part (spanned) zip archives are not supported");
  }
  if (entries === MAX_U16 || size === MAX_U32 || offset === MAX_U32) {
    const locator = eocd - 20;
    if (locator < r.base || r.u32(locator) !== ZIP64_LOCATOR) throw corrupt("zip64 locator missing");
    const z = r.u64(locator + 8);
    if (r.u32(z) !== ZIP64_EOCD) throw corrupt("zip64 end record missing");
    entries = r.u64(z + 32);
    size = r.u64(z + 40);
    offset = r.u64(z + 48);
  }
  if (offset < r.base || offset + size > r.end) throw corrupt("central directory out of range");

  // Count the data files first: "two files" is the useful message even when one of them is also unsupported.
  const files: { name: string; at: number }[] = [];
  const decoder = new TextDecoder();
  let at = offset;
  for (let i = 0; i < entries; i++) {
    if (r.u32(at) !== CENTRAL) throw corrupt("bad central directory entry");
    const nameLength = r.u16(at + 28);
    const next = at + 46 + nameLength + r.u16(at + 30) + r.u16(at + 32);
    if (next > r.end) throw corrupt("truncated");
    const name = decoder.decode(r.bytes.subarray(at + 46 - r.base, at + 46 + nameLength - r.base));
    if (!isIgnoredEntry(name)) files.push({ name, at });
    at = next;
  }
  const [file, ...others] = files;
  if (file === undefined) throw new ArchiveError("EMPTY_ARCHIVE", "the zip archive contains no file");
  if (others.length > 0) {
    const names =
      files
        .slice(0, 5)
        .map((f) => label(f.name))
        .join(", ") + (files.length > 5 ? ", …" : "");
    throw new ArchiveError(
      "MULTIPLE_FILES",
      `the zip archive must contain exactly one file, found ${files.length}: ${names}`,
    );
  }
  return readCentral(r, file.at, file.name);
}

function findEocd(r: Reader): number {
  // The end record is 22 bytes plus a comment of at most 65,535 bytes: search backwards from the end.
  const last = r.end - 22;
  for (let at = last; at >= r.base && at >= last - MAX_U16; at--) {
    if (r.bytes[at - r.base] === 0x50 && r.u32(at) === EOCD) return at;
  }
  throw corrupt("end of central directory not found");
}

function readCentral(r: Reader, at: number, name: string): CentralFile {
  const extraStart = at + 46 + r.u16(at + 28);
  const extraLength = r.u16(at + 30);
  const flags = r.u16(at + 8);
  const method = r.u16(at + 10);
  if (flags & 1) throw new ArchiveError("UNSUPPORTED", `${label(name)} is encrypted; upload an unencrypted zip`);
  if (method !== 0 && method !== 8) {
    throw new ArchiveError(
      "UNSUPPORTED",
      `${label(name)} uses zip compression method ${method}; only deflate and stored are supported`,
    );
  }
  let compressedSize = r.u32(at + 20);
  let uncompressedSize = r.u32(at + 24);
  let localOffset = r.u32(at + 42);
  if (uncompressedSize === MAX_U32 || compressedSize === MAX_U32 || localOffset === MAX_U32) {
    // The zip64 extra field lists, in this order, only the fields whose 32-bit slot is saturated.
    const extra = findExtra(r, extraStart, extraLength, 0x0001);
    let field = extra;
    const take = (): number => {
      if (field + 8 > extra + r.u16(extra - 2)) throw corrupt("zip64 extra field too short");
      const value = r.u64(field);
      field += 8;
      return value;
    };
    if (uncompressedSize === MAX_U32) uncompressedSize = take();
    if (compressedSize === MAX_U32) compressedSize = take();
    if (localOffset === MAX_U32) localOffset = take();
  }
  return { name, method, compressedSize, uncompressedSize, localOffset };
}

/** Returns the offset of the data of extra field `id` (its 2-byte size sits just before it). */
function findExtra(r: Reader, start: number, length: number, id: number): number {
  let at = start;
  while (at + 4 <= start + length) {
    const size = r.u16(at + 2);
    if (r.u16(at) === id) return at + 4;
    at += 4 + size;
  }
  throw corrupt("zip64 extra field missing");
}

/** A file name fit for an error message: quoted, control characters dropped, at most 60 characters. */
export function label(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, "");
  return JSON.stringify(clean.length > 60 ? `${clean.slice(0, 60)}…` : clean);
}
