import { gzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import {
  ArchiveError,
  type ArchiveErrorCode,
  CsvError,
  createCsvParser,
  DayAccumulator,
  decodeChunk,
  decompressUpload,
  detectFormat,
} from "../../src/measurements";
import { bytes, NOW } from "./csv-helpers";
import { prng } from "./random";
import { centralHeader, patchU16, patchU32, streamedZip, zip64Stored } from "./zip-builders";

const T = 1_672_531_200;
const CSV = bytes(`datetime,value,quality_indicator\n${T},75,4\n${T + 1},76,4\n`);
const MB = 1024 * 1024;

/** Unpacks into one buffer and reports the pieces seen. */
async function unpack(upload: Uint8Array, maxBytes = 10 * MB) {
  const pieces: Uint8Array[] = [];
  const info = await decompressUpload(upload, (piece) => pieces.push(piece.slice()), { maxBytes });
  const data = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    data.set(p, at);
    at += p.length;
  }
  return { info, data, text: new TextDecoder().decode(data), pieces };
}

async function archiveError(upload: Uint8Array, maxBytes = 10 * MB, onData: (piece: Uint8Array) => void = () => {}) {
  try {
    await decompressUpload(upload, onData, { maxBytes });
  } catch (error) {
    if (error instanceof ArchiveError) return error;
    throw error;
  }
  throw new Error("expected an ArchiveError");
}

const expectCode = async (upload: Uint8Array, code: ArchiveErrorCode, message?: RegExp, maxBytes = 10 * MB) => {
  const error = await archiveError(upload, maxBytes);
  expect(error.code, error.message).toBe(code);
  if (message) expect(error.message).toMatch(message);
};

/** Pseudo-random CSV that deflate cannot shrink much: corrupting its compressed form breaks the stream. */
function noisyCsv(rows: number): Uint8Array {
  const rng = prng(3);
  return bytes(Array.from({ length: rows }, (_, i) => `${T + i},${Math.floor(rng() * 300)},4`).join("\n"));
}

describe("upload content detection", () => {
  it("detects by magic bytes, not by name", async () => {
    expect(detectFormat(zipSync({ "a.csv": CSV }))).toBe("zip");
    expect(detectFormat(zipSync({}))).toBe("zip"); // an empty archive starts with its end record, PK\x05\x06
    expect(detectFormat(gzipSync(CSV))).toBe("gzip");
    expect(detectFormat(CSV)).toBe("plain");
    expect(detectFormat(bytes("PK"))).toBe("plain");
    expect(detectFormat(new Uint8Array())).toBe("plain");
  });

  it("passes plain CSV through unchanged", async () => {
    const { info, text } = await unpack(CSV);
    expect(info).toEqual({ format: "plain", bytes: CSV.length });
    expect(text).toBe(new TextDecoder().decode(CSV));
  });

  it("gunzips a gzip upload", async () => {
    const { info, text } = await unpack(gzipSync(CSV));
    expect(info).toEqual({ format: "gzip", bytes: CSV.length });
    expect(text).toBe(new TextDecoder().decode(CSV));
  });

  it.each([
    ["deflated", zipSync({ "hr.csv": CSV })],
    ["stored", zipSync({ "hr.csv": [CSV, { level: 0 }] })],
    ["streamed with data descriptors", streamedZip("hr.csv", CSV)],
    ["zip64", zip64Stored("hr.csv", CSV)],
  ])("unzips the single file of a %s zip", async (_, zip) => {
    const { info, text } = await unpack(zip);
    expect(info).toEqual({ format: "zip", entryName: "hr.csv", bytes: CSV.length });
    expect(text).toBe(new TextDecoder().decode(CSV));
  });

  it("ignores folders, __MACOSX/ and .DS_Store entries", async () => {
    const zip = zipSync({
      "export/": new Uint8Array(),
      "export/hr.csv": CSV,
      "export/.DS_Store": bytes("junk"),
      "__MACOSX/export/._hr.csv": bytes("resource fork"),
    });
    expect((await await unpack(zip)).info).toEqual({ format: "zip", entryName: "export/hr.csv", bytes: CSV.length });
  });

  it("streams large data in pieces instead of one buffer", async () => {
    const csv = noisyCsv(100_000);
    const { data, pieces } = await unpack(zipSync({ "hr.csv": csv }), 50 * MB);
    expect(data.length).toBe(csv.length);
    expect(pieces.length).toBeGreaterThan(10);
    expect(data.every((b, i) => b === csv[i])).toBe(true);
  });
});

describe("upload errors", () => {
  it("rejects a zip with no file", async () => {
    await expectCode(zipSync({}), "EMPTY_ARCHIVE", /contains no file/);
    await expectCode(zipSync({ "folder/": new Uint8Array(), ".DS_Store": bytes("x") }), "EMPTY_ARCHIVE");
  });

  it("rejects a zip with two files, naming them", async () => {
    await expectCode(
      zipSync({ "a.csv": CSV, "b.csv": CSV }),
      "MULTIPLE_FILES",
      /exactly one file, found 2: "a\.csv", "b\.csv"/,
    );
  });

  it("rejects unsupported compression methods and encryption", async () => {
    const zip = zipSync({ "hr.csv": CSV });
    const central = centralHeader(zip);
    await expectCode(patchU16(zip, central + 10, 12), "UNSUPPORTED", /compression method 12/);
    await expectCode(patchU16(zip, central + 8, 1), "UNSUPPORTED", /encrypted/);
  });

  it("rejects corrupt archives", async () => {
    const zip = zipSync({ "hr.csv": noisyCsv(5000) });
    await expectCode(zip.subarray(0, zip.length - 30), "CORRUPT", /end of central directory not found/);
    const damaged = zip.slice();
    damaged.fill(0xff, 200, 260); // inside the deflate stream
    await expectCode(damaged, "CORRUPT");
    const gz = gzipSync(noisyCsv(5000));
    await expectCode(gz.subarray(0, gz.length >> 1), "CORRUPT", /corrupt gzip data/);
    // The directory's recorded size must match what the data inflates to.
    await expectCode(patchU32(zip, centralHeader(zip) + 24, 10), "CORRUPT", /not the size its directory records/);
  });

  it("stops a zip bomb at maxBytes: 2 MB of zeros with a 1 MB cap", async () => {
    const zip = zipSync({ "bomb.csv": new Uint8Array(2 * MB) });
    expect(zip.length).toBeLessThan(10_000);
    await expectCode(zip, "TOO_LARGE", /larger than 1048576 bytes/, MB);
  });

  it("stops bombs whose size is not known up front before delivering more than the cap", async () => {
    // Real rows first, so some pieces pass before the zeros blow through the cap.
    const head = noisyCsv(30_000);
    const data = new Uint8Array(head.length + 2 * MB);
    data.set(head);
    const zip = zipSync({ "bomb.csv": data });
    const lying = patchU32(zip, centralHeader(zip) + 24, head.length); // the directory understates the size
    for (const upload of [lying, gzipSync(data)]) {
      let delivered = 0;
      const error = await archiveError(upload, MB, (piece) => {
        delivered += piece.length;
      });
      expect(error.code).toBe("TOO_LARGE");
      expect(delivered).toBeGreaterThan(0);
      expect(delivered).toBeLessThanOrEqual(MB);
    }
  });

  it("rejects plain text over maxBytes", async () => {
    expect((await await archiveError(new Uint8Array(2000), 1000)).code).toBe("TOO_LARGE");
  });

  it("lets the consumer's own error through unchanged", async () => {
    const zip = zipSync({ "hr.csv": bytes(`${T},75,4\n${T},999,4\n`) });
    const parser = createCsvParser("HEART_RATE", { add: () => {} }, { now: NOW });
    await expect(decompressUpload(zip, (piece) => parser.push(piece), { maxBytes: MB })).rejects.toThrow(CsvError);
  });
});

describe("upload pipeline", () => {
  it("unzips, parses and accumulates an upload into day chunks", async () => {
    const csv = bytes(
      `datetime,value,quality_indicator\r\n${T},75,4\r\n${T + 86_400},60,3\r\n${T + 1},76,4\r\n${T},77,2\r\n`,
    );
    const acc = new DayAccumulator();
    const parser = createCsvParser("HEART_RATE", acc, { now: NOW });
    await decompressUpload(zipSync({ "hr.csv": csv }), (piece) => parser.push(piece), { maxBytes: MB });
    parser.end();
    const { days, stats } = acc.finish();
    expect(days.map((d) => [d.day, d.count])).toEqual([
      [T, 2],
      [T + 86_400, 1],
    ]);
    const first = decodeChunk(days[0]?.chunk ?? new Uint8Array());
    expect([...first.values]).toEqual([77, 76]);
    expect(stats).toMatchObject({ rows: 4, samples: 3 });
  });
});
