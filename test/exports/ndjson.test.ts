import { describe, expect, it } from "vitest";
import { ndjsonRecords, renderNdjsonDay } from "../../src/exports/ndjson";
import { type DaySamples, emptyDaySamples, MEASUREMENT_TYPES, type MeasurementType } from "../../src/measurements";
import { day, int, prng } from "../measurements/random";
import { awkwardValues, DAY, fullDay, typeDay } from "./samples";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

interface Line {
  type: string;
  datetime: number;
  time: string;
  value: number;
  quality: number;
}

/** ISO 8601 UTC without milliseconds, the module's documented `time` form. */
const isoSeconds = (datetime: number): string => new Date(datetime * 1000).toISOString().replace(".000Z", "Z");

/** Parses every line; fails on a line that is not one JSON object with the five fields in order. */
function parseLines(bytes: Uint8Array): Line[] {
  const body = text(bytes);
  if (body === "") return [];
  expect(body.endsWith("\n"), "the last line ends with a newline").toBe(true);
  return body
    .slice(0, -1)
    .split("\n")
    .map((line) => {
      const parsed = JSON.parse(line) as Line;
      expect(Object.keys(parsed), line).toEqual(["type", "datetime", "time", "value", "quality"]);
      return parsed;
    });
}

function expectSamples(type: MeasurementType, dayEpoch: number, samples: DaySamples, lines: Line[]): void {
  expect(lines).toHaveLength(samples.seconds.length);
  const wrong = lines.filter((line, i) => {
    const datetime = dayEpoch + (samples.seconds[i] as number);
    return (
      line.type !== type ||
      line.datetime !== datetime ||
      line.time !== isoSeconds(datetime) ||
      !Object.is(line.value, samples.values[i]) ||
      line.quality !== samples.quality[i]
    );
  });
  expect(wrong).toEqual([]);
}

describe("NDJSON export of a day", () => {
  it("writes one JSON object per sample, fields always in the same order", () => {
    const samples = day([0, 3661, 86_399], [75, 36.55, 1e-7], [4, 3, 0]);
    expect(text(renderNdjsonDay("HEART_RATE", DAY, samples))).toBe(
      '{"type":"HEART_RATE","datetime":1672531200,"time":"2023-01-01T00:00:00Z","value":75,"quality":4}\n' +
        '{"type":"HEART_RATE","datetime":1672534861,"time":"2023-01-01T01:01:01Z","value":36.55,"quality":3}\n' +
        '{"type":"HEART_RATE","datetime":1672617599,"time":"2023-01-01T23:59:59Z","value":1e-7,"quality":0}\n',
    );
  });

  it.each(MEASUREMENT_TYPES)("every %s line parses back to its sample (property)", (type) => {
    const rng = prng(type.length * 104_729 + type.charCodeAt(2));
    for (let trial = 0; trial < 20; trial++) {
      const samples = typeDay(type, rng);
      const dayEpoch = DAY + int(rng, 0, 3650) * 86_400;
      expectSamples(type, dayEpoch, samples, parseLines(renderNdjsonDay(type, dayEpoch, samples)));
    }
  });

  it.each(MEASUREMENT_TYPES)("%s: values with exponents or many digits parse to the same doubles", (type) => {
    const values = awkwardValues(type);
    const samples = day(
      values.map((_, i) => i),
      values,
    );
    expectSamples(type, DAY, samples, parseLines(renderNdjsonDay(type, DAY, samples)));
  });

  it("carries quality 4 for the graph types, as they are stored", () => {
    const lines = parseLines(renderNdjsonDay("MOTION_GRAPH", DAY, fullDay("MOTION_GRAPH")));
    expect(lines.every((line) => line.quality === 4)).toBe(true);
  });

  it("renders a full 1 Hz day, its time of day in every second", () => {
    const samples = fullDay("HEART_RATE");
    const lines = parseLines(renderNdjsonDay("HEART_RATE", DAY, samples));
    expectSamples("HEART_RATE", DAY, samples, lines);
    expect(lines[43_200]?.time).toBe("2023-01-01T12:00:00Z");
  });

  it("writes -0 as 0 (as JSON.stringify does)", () => {
    const [line] = parseLines(renderNdjsonDay("TEMPERATURE", DAY, day([0], [-0])));
    expect(Object.is(line?.value, 0)).toBe(true);
  });

  it("renders an empty day as no bytes and refuses a day that is not a UTC midnight", () => {
    expect(renderNdjsonDay("HEART_RATE", DAY, emptyDaySamples())).toHaveLength(0);
    expect(() => renderNdjsonDay("HEART_RATE", DAY + 60, day([0], [1]))).toThrow(RangeError);
  });

  it("returns a view the next call overwrites", () => {
    const first = renderNdjsonDay("HEART_RATE", DAY, day([0], [75]));
    const copy = first.slice();
    renderNdjsonDay("HEART_RATE", DAY, day([0], [99]));
    expect(JSON.parse(text(copy)).value).toBe(75);
    expect(JSON.parse(text(first)).value).toBe(99);
  });
});

describe("NDJSON of records", () => {
  it("writes JSON.stringify of each record on its own line, UTF-8 encoded", () => {
    const records = [{ id: "s1", note: "Müde, 10 km 🏃" }, [1, 2], "text", 42, null];
    const body = text(ndjsonRecords(records));
    expect(body).toBe(`${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
    expect(
      body
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual(records);
  });

  it("writes nothing for no records and refuses a record without a JSON form", () => {
    expect(ndjsonRecords([])).toHaveLength(0);
    expect(() => ndjsonRecords([{ a: 1 }, undefined])).toThrow(/record 1/);
  });
});
