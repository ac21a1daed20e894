import { describe, expect, it } from "vitest";
import { csvHeader, renderCsvDay } from "../../src/exports/csv";
import {
  COLUMN_SPECS,
  createCsvParser,
  type DaySamples,
  emptyDaySamples,
  MEASUREMENT_TYPES,
  type MeasurementType,
} from "../../src/measurements";
import { randomPieces } from "../measurements/csv-helpers";
import { day, int, prng } from "../measurements/random";
import { awkwardValues, DAY, fullDay, NOW, rowsOf, typeDay } from "./samples";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** What the upload route's parser makes of the file, fed in the given pieces. */
function reupload(type: MeasurementType, pieces: Uint8Array[]): [number, number, number][] {
  const rows: [number, number, number][] = [];
  const parser = createCsvParser(type, { add: (d, v, q) => rows.push([d, v, q]) }, { now: NOW });
  for (const piece of pieces) parser.push(piece);
  parser.end();
  return rows;
}

/** Header + the day's rows, as one file. */
function exportFile(type: MeasurementType, samples: DaySamples, dayEpoch = DAY): Uint8Array {
  const header = csvHeader(type);
  const rows = renderCsvDay(type, dayEpoch, samples);
  const file = new Uint8Array(header.length + rows.length);
  file.set(header);
  file.set(rows, header.length);
  return file;
}

/** Object.is on every value: the parsed doubles are the exported ones, bit for bit. */
function sameValues(parsed: [number, number, number][], samples: DaySamples): boolean {
  return parsed.length === samples.values.length && parsed.every(([, v], i) => Object.is(v, samples.values[i]));
}

describe("CSV export: the upload reads it back", () => {
  it.each(MEASUREMENT_TYPES)("random %s days re-upload to exactly the exported samples (property)", (type) => {
    const rng = prng(type.length * 7919 + type.charCodeAt(1));
    for (let trial = 0; trial < 30; trial++) {
      const samples = typeDay(type, rng);
      const dayEpoch = DAY + int(rng, 0, 30) * 86_400;
      const file = exportFile(type, samples, dayEpoch);
      const parsed = reupload(type, randomPieces(file, rng, int(rng, 1, 300)));
      expect(parsed, `trial ${trial}`).toEqual(rowsOf(dayEpoch, samples));
      expect(sameValues(parsed, samples), `trial ${trial}: values differ bitwise`).toBe(true);
    }
  });

  it.each(MEASUREMENT_TYPES)("a full 1 Hz %s day (86,400 rows) re-uploads exactly", (type) => {
    const samples = fullDay(type);
    const parsed = reupload(type, [exportFile(type, samples)]);
    expect(parsed).toHaveLength(86_400);
    expect(parsed).toEqual(rowsOf(DAY, samples));
    expect(sameValues(parsed, samples)).toBe(true);
  });

  it.each(MEASUREMENT_TYPES)("%s values with exponents or many digits survive the round trip", (type) => {
    const values = awkwardValues(type);
    const samples = day(
      values.map((_, i) => i * 3),
      values,
    );
    const parsed = reupload(type, [exportFile(type, samples)]);
    expect(parsed.map(([, v]) => v)).toEqual(values);
    expect(sameValues(parsed, samples), text(renderCsvDay(type, DAY, samples))).toBe(true);
  });

  it("writes exponents and long fractions as String() does, which the upload reads with Number()", () => {
    const samples = day([0, 1, 2, 3, 4], [1e-7, 123456.789, 5e-324, 0.1 + 0.2, 36.55]);
    expect(text(renderCsvDay("MOTION_GRAPH", DAY, samples))).toBe(
      `${DAY},1e-7\n${DAY + 1},123456.789\n${DAY + 2},5e-324\n${DAY + 3},0.30000000000000004\n${DAY + 4},36.55\n`,
    );
  });

  it("writes -0 as 0, which is what an upload of -0 stores", () => {
    const samples = day([0], [-0], [3]);
    expect(text(renderCsvDay("TEMPERATURE", DAY, samples))).toBe(`${DAY},0,3\n`);
    const stored = reupload("TEMPERATURE", [new TextEncoder().encode(`${DAY},-0,3\n`)]);
    expect(Object.is(stored[0]?.[1], 0)).toBe(true);
    expect(reupload("TEMPERATURE", [renderCsvDay("TEMPERATURE", DAY, samples)])).toEqual(stored);
  });
});

describe("CSV export: layout", () => {
  it("names the type's columns in the header", () => {
    for (const type of MEASUREMENT_TYPES) {
      const expected = COLUMN_SPECS[type].hasQuality ? "datetime,value,quality_indicator\n" : "datetime,value\n";
      expect(text(csvHeader(type)), type).toBe(expected);
    }
  });

  it("writes datetime = day + second, the value and the quality; no quality column for the graph types", () => {
    const samples = day([0, 1, 86_399], [75, 76, 300], [4, 0, 2]);
    expect(text(renderCsvDay("HEART_RATE", DAY, samples))).toBe(
      `${DAY},75,4\n${DAY + 1},76,0\n${DAY + 86_399},300,2\n`,
    );
    expect(text(renderCsvDay("HEART_RATE_GRAPH", DAY, samples))).toBe(
      `${DAY},75\n${DAY + 1},76\n${DAY + 86_399},300\n`,
    );
  });

  it("crosses a 100,000 s digit carry inside the day correctly", () => {
    // 2023-01-02 starts at 1672617600; 1672700000 lies within that day, where the low five digits wrap.
    const dayEpoch = 1_672_617_600;
    const samples = day([82_399, 82_400, 82_401], [1, 2, 3]);
    expect(text(renderCsvDay("HEART_RATE", dayEpoch, samples))).toBe(
      "1672699999,1,4\n1672700000,2,4\n1672700001,3,4\n",
    );
  });

  it("renders an empty day as no bytes; the header alone re-uploads to no rows", () => {
    expect(renderCsvDay("HEART_RATE", DAY, emptyDaySamples())).toHaveLength(0);
    expect(reupload("HEART_RATE", [exportFile("HEART_RATE", emptyDaySamples())])).toEqual([]);
  });

  it("returns a view the next call overwrites (the caller writes or copies it first)", () => {
    const first = renderCsvDay("HEART_RATE", DAY, day([0], [75]));
    const copy = first.slice();
    renderCsvDay("HEART_RATE", DAY, day([0], [99]));
    expect(text(copy)).toBe(`${DAY},75,4\n`);
    expect(text(first)).toBe(`${DAY},99,4\n`);
  });

  it("refuses a day that is not a UTC midnight in Unix seconds", () => {
    const samples = day([0], [75]);
    expect(() => renderCsvDay("HEART_RATE", DAY + 1, samples)).toThrow(RangeError);
    expect(() => renderCsvDay("HEART_RATE", DAY * 1000, samples)).toThrow(RangeError);
    expect(() => renderCsvDay("HEART_RATE", 0, samples)).toThrow(RangeError);
  });
});

describe("CSV export: number text", () => {
  it("is String(v) for any finite double, and 0 for -0 (property)", () => {
    const rng = prng(4242);
    const bits = new DataView(new ArrayBuffer(8));
    const values: number[] = [];
    while (values.length < 20_000) {
      const roll = int(rng, 0, 3);
      if (roll === 0) {
        bits.setUint32(0, Math.floor(rng() * 2 ** 32));
        bits.setUint32(4, Math.floor(rng() * 2 ** 32));
        const v = bits.getFloat64(0);
        if (Number.isFinite(v)) values.push(v);
      } else {
        values.push((int(rng, -2_000_000_000, 2_000_000_000) / 10 ** roll) * (rng() < 0.01 ? 1e12 : 1));
      }
    }
    values.push(-0, 1e15, 1e15 - 1, 1e21, -1e-7, 0.001, 99.999, 1e15 - 0.5);
    const samples = day(
      values.map((_, i) => i),
      values,
    );
    const lines = text(renderCsvDay("HEART_RATE_GRAPH", DAY, samples))
      .trimEnd()
      .split("\n");
    const wrong = lines.filter(
      (line, i) => line !== `${DAY + i},${Object.is(values[i], -0) ? "0" : String(values[i])}`,
    );
    expect(wrong).toEqual([]);
  });
});
