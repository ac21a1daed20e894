import { Zip, ZipDeflate } from "fflate";

/** Offset of the first central directory header (signature PK\x01\x02) in a zip built by fflate. */
export function centralHeader(zip: Uint8Array): number {
  for (let at = zip.length - 46; at >= 0; at--) {
    if (zip[at] === 0x50 && zip[at + 1] === 0x4b && zip[at + 2] === 1 && zip[at + 3] === 2) return at;
  }
  throw new Error("no central directory header");
}

export function patchU16(zip: Uint8Array, at: number, value: number): Uint8Array {
  const copy = zip.slice();
  new DataView(copy.buffer).setUint16(at, value, true);
  return copy;
}

export function patchU32(zip: Uint8Array, at: number, value: number): Uint8Array {
  const copy = zip.slice();
  new DataView(copy.buffer).setUint32(at, value, true);
  return copy;
}

/** A zip written the streaming way: sizes deferred to data descriptors, as macOS Archive Utility does. */
export function streamedZip(name: string, data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    parts.push(chunk);
  });
  const file = new ZipDeflate(name, { level: 6 });
  zip.add(file);
  file.push(data, true);
  zip.end();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A stored (uncompressed) single-file zip in zip64 form: every size and offset lives in zip64 records. */
export function zip64Stored(name: string, data: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const n = nameBytes.length;
  const out = new Uint8Array(30 + n + 20 + data.length + 46 + n + 28 + 56 + 20 + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  /** Writes little-endian fields given as [byte width, value] pairs. */
  const put = (...fields: [2 | 4 | 8, number][]) => {
    for (const [width, value] of fields) {
      if (width === 2) view.setUint16(at, value, true);
      else if (width === 4) view.setUint32(at, value, true);
      else view.setBigUint64(at, BigInt(value), true);
      at += width;
    }
  };
  const raw = (bytes: Uint8Array) => {
    out.set(bytes, at);
    at += bytes.length;
  };
  const FULL = 0xffffffff;
  // Local header, its zip64 extra (uncompressed and compressed size), the data.
  put([4, 0x04034b50], [2, 45], [2, 0], [2, 0], [2, 0], [2, 0], [4, 0], [4, FULL], [4, FULL], [2, n], [2, 20]);
  raw(nameBytes);
  put([2, 1], [2, 16], [8, data.length], [8, data.length]);
  raw(data);
  // Central header with a zip64 extra holding both sizes and the local header offset.
  const central = at;
  put([4, 0x02014b50], [2, 45], [2, 45], [2, 0], [2, 0], [2, 0], [2, 0], [4, 0], [4, FULL], [4, FULL]);
  put([2, n], [2, 28], [2, 0], [2, 0], [2, 0], [4, 0], [4, FULL]);
  raw(nameBytes);
  put([2, 1], [2, 24], [8, data.length], [8, data.length], [8, 0]);
  const centralSize = at - central;
  // Zip64 end record, its locator, and the classic end record with every field saturated.
  const zip64End = at;
  put([4, 0x06064b50], [8, 44], [2, 45], [2, 45], [4, 0], [4, 0], [8, 1], [8, 1], [8, centralSize], [8, central]);
  put([4, 0x07064b50], [4, 0], [8, zip64End], [4, 1]);
  put([4, 0x06054b50], [2, 0], [2, 0], [2, 0xffff], [2, 0xffff], [4, FULL], [4, FULL], [2, 0]);
  if (at !== out.length) throw new Error(`zip64 builder wrote ${at} bytes, expected ${out.length}`);
  return out;
}
