import { strToU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { ZipWriter } from "../../src/exports/zip-writer";
import { concat, noise } from "../fixtures/bytes";

/** The streaming ZIP writer (src/exports/zip-writer.ts), read back by an independent reader (fflate). */

function build(write: (zip: ZipWriter) => void, options = {}) {
  const pieces: Uint8Array[] = [];
  const zip = new ZipWriter((piece) => pieces.push(piece.slice()), options);
  write(zip);
  return { zip, bytes: concat(pieces), pieces };
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** CRC-32 (IEEE 802.3, reflected 0xEDB88320), bit by bit: an implementation independent of zlib's. */
function referenceCrc(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe("ZipWriter", () => {
  it("writes entries fflate reads back exactly: text, binary, multi-MB in odd pieces, empty, UTF-8 names", async () => {
    const text = strToU8("datetime,value,quality_indicator\n1672531200,75,4\n");
    const binary = noise(70_000);
    const large = strToU8(Array.from({ length: 400_000 }, (_, i) => `${1672531200 + i},${60 + (i % 40)},4`).join("\n"));
    const { zip, bytes } = build((z) => {
      z.open("users/a/measurements/HEART_RATE.csv");
      z.write(text);
      z.close();
      z.open("binary.bin");
      z.write(binary);
      z.close();
      z.open("large.csv");
      for (let at = 0, step = 1; at < large.length; at += step, step = 1 + ((step * 7 + 13) % 400_000)) {
        z.write(large.subarray(at, at + step));
      }
      z.close();
      z.open("empty.json");
      z.close();
      z.open("données/ünïcode-名前.json");
      z.write(strToU8("{}"));
      z.close();
      z.finish();
    });
    expect(large.length).toBeGreaterThan(5_000_000);
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toEqual([
      "users/a/measurements/HEART_RATE.csv",
      "binary.bin",
      "large.csv",
      "empty.json",
      "données/ünïcode-名前.json",
    ]);
    expect(files["users/a/measurements/HEART_RATE.csv"]).toEqual(text);
    expect(files["binary.bin"]).toEqual(binary);
    expect(files["large.csv"]).toEqual(large);
    expect(files["empty.json"]).toEqual(new Uint8Array(0));
    for (const [info, content] of [
      [zip.entries[0], text],
      [zip.entries[1], binary],
      [zip.entries[2], large],
      [zip.entries[3], new Uint8Array(0)],
    ] as const) {
      expect(info?.bytes).toBe(content.length);
      expect(info?.crc32).toBe(referenceCrc(content) >>> 0);
      expect(info?.sha256).toBe(await sha256Hex(content));
    }
    expect(zip.entries[2]?.compressedBytes).toBeLessThan(large.length / 3);
    expect(zip.bytesWritten).toBe(bytes.length);
  });

  it("streams: pieces leave before finish, none much larger than the 1 MiB stage", () => {
    const big = noise(6 * 1024 * 1024, 7);
    const pieces: Uint8Array[] = [];
    const zip = new ZipWriter((piece) => pieces.push(piece.slice()));
    zip.open("big.bin");
    zip.write(big); // whole stages deflated in place
    expect(pieces.length).toBeGreaterThan(4); // emitted while the entry is still open
    zip.close();
    zip.open("mixed.bin");
    zip.write(big.subarray(0, 1000)); // a partly filled stage, then whole stages, then a tail
    zip.write(big.subarray(1000));
    zip.close();
    zip.finish();
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(1.1 * 1024 * 1024);
    const files = unzipSync(concat(pieces));
    expect(files["big.bin"]).toEqual(big);
    expect(files["mixed.bin"]).toEqual(big);
  });

  it("the local header carries the data-descriptor and UTF-8 flags and the DOS time of `modified`", () => {
    const { bytes } = build(
      (z) => {
        z.open("a.txt");
        z.write(strToU8("a"));
        z.close();
        z.finish();
      },
      { modified: new Date("2026-12-02T10:20:30Z") },
    );
    const v = new DataView(bytes.buffer);
    expect(v.getUint32(0, true)).toBe(0x04034b50);
    expect(v.getUint16(6, true)).toBe(0x0808);
    expect(v.getUint16(10, true)).toBe((10 << 11) | (20 << 5) | 15);
    expect(v.getUint16(12, true)).toBe(((2026 - 1980) << 9) | (12 << 5) | 2);
  });

  it.each(["", "/abs.txt", "a/../b", "a\\b", "./a", "x".repeat(256)])("refuses the entry name %j", (name) => {
    const zip = new ZipWriter(() => {});
    expect(() => zip.open(name)).toThrow(/invalid ZIP entry name/);
  });

  it("refuses misuse: write with no entry, open while open, anything after finish", () => {
    const zip = new ZipWriter(() => {});
    expect(() => zip.write(new Uint8Array(1))).toThrow(/no entry/);
    zip.open("a");
    expect(() => zip.open("b")).toThrow(/still open/);
    expect(() => zip.finish()).toThrow(/still open/);
    zip.close();
    expect(() => zip.close()).toThrow(/no entry/);
    zip.finish();
    expect(() => zip.open("c")).toThrow(/finished/);
    expect(() => zip.finish()).toThrow(/finished/);
  });
});
