import { gzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { ArchiveError, decompressUpload } from "../../src/measurements";
import { decompressUploadStream } from "../../src/measurements/archive-stream";
import { bytes } from "./csv-helpers";
import { prng } from "./random";
import { centralHeader, patchU16, patchU32, streamedZip, zip64Stored } from "./zip-builders";

// The streaming unpacker must answer exactly what the whole-buffer one does, however the bytes are cut.

const T = 1_672_531_200;
const MB = 1024 * 1024;
const CSV = bytes(`datetime,value,quality_indicator\n${T},75,4\n${T + 1},76,4\n`);

function noisyCsv(rows: number): Uint8Array {
  const rng = prng(5);
  return bytes(Array.from({ length: rows }, (_, i) => `${T + i},${Math.floor(rng() * 300)},4`).join("\n"));
}

async function* pieces(data: Uint8Array, size: number, pulled?: { n: number }) {
  for (let at = 0; at < data.length; at += size) {
    if (pulled) pulled.n += 1;
    yield data.slice(at, at + size);
  }
}

async function outcome(run: (onData: (p: Uint8Array) => void) => Promise<unknown>) {
  const parts: number[] = [];
  try {
    const info = await run((p) => parts.push(...p));
    return { info, text: new TextDecoder().decode(Uint8Array.from(parts)) };
  } catch (error) {
    if (error instanceof ArchiveError) return { error: error.code, message: error.message };
    throw error;
  }
}

const uploads: [string, Uint8Array][] = [
  ["plain", CSV],
  ["gzip", gzipSync(noisyCsv(3000))],
  ["deflated zip", zipSync({ "hr.csv": noisyCsv(3000) })],
  ["stored zip", zipSync({ "hr.csv": [CSV, { level: 0 }] })],
  ["zip with data descriptors", streamedZip("hr.csv", CSV)],
  ["zip64", zip64Stored("hr.csv", CSV)],
  ["zip with a folder first", zipSync({ "export/": new Uint8Array(), "export/hr.csv": CSV, ".DS_Store": bytes("x") })],
  ["zip with two files", zipSync({ "a.csv": CSV, "b.csv": CSV })],
  ["empty zip", zipSync({})],
  [
    "zip whose directory names method 12",
    patchU16(zipSync({ "hr.csv": CSV }), centralHeader(zipSync({ "hr.csv": CSV })) + 10, 12),
  ],
  [
    "zip whose directory says encrypted",
    patchU16(zipSync({ "hr.csv": CSV }), centralHeader(zipSync({ "hr.csv": CSV })) + 8, 1),
  ],
  ["truncated zip", zipSync({ "hr.csv": noisyCsv(3000) }).subarray(0, 4000)],
  [
    "zip without its end",
    (() => {
      const z = zipSync({ "hr.csv": noisyCsv(3000) });
      return z.subarray(0, z.length - 30);
    })(),
  ],
  [
    "zip whose directory misstates the size",
    (() => {
      const z = zipSync({ "hr.csv": CSV });
      return patchU32(z, centralHeader(z) + 24, 10);
    })(),
  ],
  [
    "truncated gzip",
    (() => {
      const g = gzipSync(noisyCsv(3000));
      return g.subarray(0, g.length >> 1);
    })(),
  ],
  ["zip bomb", zipSync({ "bomb.csv": new Uint8Array(3 * MB) })],
  ["gzip bomb", gzipSync(new Uint8Array(3 * MB))],
];

describe("decompressUploadStream", () => {
  for (const [name, data] of uploads) {
    it(`answers a ${name} as the whole-buffer unpacker does, in pieces of 1, 13 and 65536 bytes`, async () => {
      const whole = await outcome((onData) => decompressUpload(data, onData, { maxBytes: 2 * MB }));
      for (const size of name.includes("bomb") ? [65536] : [1, 13, 65536]) {
        const streamed = await outcome((onData) =>
          decompressUploadStream(pieces(data, size), onData, { maxBytes: 2 * MB }),
        );
        if ("error" in whole) expect(streamed).toMatchObject({ error: whole.error });
        else expect(streamed).toEqual(whole);
      }
    });
  }

  it("names both files of a two-file zip, as the directory does", async () => {
    const zip = zipSync({ "a.csv": CSV, "b.csv": CSV });
    const result = await outcome((onData) => decompressUploadStream(pieces(zip, 100), onData, { maxBytes: MB }));
    expect(result).toMatchObject({
      error: "MULTIPLE_FILES",
      message: expect.stringMatching(/found 2: "a\.csv", "b\.csv"/),
    });
  });

  it("inflates as bytes arrive: the first rows are out long before the body is read", async () => {
    const csv = noisyCsv(200_000);
    const zip = zipSync({ "hr.csv": csv });
    const pulled = { n: 0 };
    let pulledAtFirst = -1;
    let total = 0;
    const info = await decompressUploadStream(
      pieces(zip, 16 * 1024, pulled),
      (p) => {
        if (pulledAtFirst < 0) pulledAtFirst = pulled.n;
        total += p.length;
      },
      { maxBytes: 50 * MB },
    );
    expect(info).toEqual({ format: "zip", entryName: "hr.csv", bytes: csv.length });
    expect(total).toBe(csv.length);
    const chunks = Math.ceil(zip.length / (16 * 1024));
    expect(chunks).toBeGreaterThan(20);
    expect(pulledAtFirst).toBeLessThan(chunks / 4);
  });
});
