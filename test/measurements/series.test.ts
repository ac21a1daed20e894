import { describe, expect, it } from "vitest";
import { type Aggregate, aggregateSeries, type DayInput, type Series } from "../../src/measurements";
import { day, int, prng, randomDay } from "./random";

const D = 1_672_531_200; // a UTC midnight
const ALL: Aggregate[] = ["min", "max", "avg", "count", "last"];

/** The obvious implementation: every sample into a Map keyed by bucket start. */
function reference(days: DayInput[], start: number, end: number, resolution: number, minQuality = 0): Series {
  const buckets = new Map<number, number[]>();
  for (const { day: d, samples } of days) {
    samples.seconds.forEach((second, i) => {
      const t = d + second;
      if (t < start || t >= end || (samples.quality[i] as number) < minQuality) return;
      const b = Math.floor(t / resolution) * resolution;
      const list = buckets.get(b) ?? [];
      list.push(samples.values[i] as number);
      buckets.set(b, list);
    });
  }
  const t = [...buckets.keys()].sort((a, b) => a - b);
  const lists = t.map((b) => buckets.get(b) ?? []);
  return {
    t,
    min: lists.map((l) => Math.min(...l)),
    max: lists.map((l) => Math.max(...l)),
    avg: lists.map((l) => l.reduce((a, b) => a + b, 0) / l.length),
    count: lists.map((l) => l.length),
    last: lists.map((l) => l.at(-1) ?? Number.NaN),
  };
}

describe("aggregateSeries", () => {
  const days: DayInput[] = [
    { day: D, samples: day([0, 30, 59, 60, 86_399], [10, 20, 30, 40, 50], [4, 4, 1, 4, 4]) },
    { day: D + 86_400, samples: day([0, 1], [60, 70]) },
  ];

  it("aggregates per epoch-aligned bucket and returns only buckets with data", () => {
    expect(aggregateSeries(days, { start: D, end: D + 2 * 86_400, resolution: 60, aggregates: ALL })).toEqual({
      t: [D, D + 60, D + 86_340, D + 86_400],
      min: [10, 40, 50, 60],
      max: [30, 40, 50, 70],
      avg: [20, 40, 50, 65],
      count: [3, 1, 1, 2],
      last: [30, 40, 50, 70],
    });
  });

  it("returns only the requested columns", () => {
    const series = aggregateSeries(days, { start: D, end: D + 60, resolution: 60, aggregates: ["max"] });
    expect(series).toEqual({ t: [D], max: [30] });
  });

  it("cuts at start (inclusive) and end (exclusive)", () => {
    const series = aggregateSeries(days, { start: D + 30, end: D + 86_400, resolution: 1, aggregates: ["last"] });
    expect(series).toEqual({ t: [D + 30, D + 59, D + 60, D + 86_399], last: [20, 30, 40, 50] });
  });

  it("lets a bucket span midnight when the resolution does not divide the day", () => {
    // 50,000 s buckets from the epoch: D + 86,399 and D + 86,400 fall in the same bucket.
    const series = aggregateSeries(days, { start: D, end: D + 2 * 86_400, resolution: 50_000, aggregates: ["count"] });
    const bucket = Math.floor((D + 86_399) / 50_000) * 50_000;
    expect(series.t).toContain(bucket);
    expect(series.count?.[series.t.indexOf(bucket)]).toBe(3);
  });

  it("leaves out samples below minQuality", () => {
    const series = aggregateSeries(days, {
      start: D,
      end: D + 60,
      resolution: 60,
      aggregates: ["count", "max"],
      minQuality: 2,
    });
    expect(series).toEqual({ t: [D], count: [2], max: [20] });
  });

  it("accepts days in any order, refuses the same day twice and invalid options", () => {
    const reversed = [...days].reverse();
    const options = { start: D, end: D + 2 * 86_400, resolution: 3600, aggregates: ALL };
    expect(aggregateSeries(reversed, options)).toEqual(aggregateSeries(days, options));
    expect(() => aggregateSeries([days[0] as DayInput, days[0] as DayInput], options)).toThrow(/same day/);
    expect(() => aggregateSeries(days, { ...options, resolution: 0 })).toThrow(RangeError);
    expect(() => aggregateSeries(days, { ...options, resolution: 86_401 })).toThrow(RangeError);
    expect(() => aggregateSeries(days, { ...options, resolution: 1.5 })).toThrow(RangeError);
    expect(() => aggregateSeries(days, { ...options, end: D - 1 })).toThrow(RangeError);
  });

  it("matches the reference implementation on random days, ranges and resolutions (property)", () => {
    const rng = prng(23);
    for (let trial = 0; trial < 60; trial++) {
      const count = int(rng, 1, 4);
      const input: DayInput[] = Array.from({ length: count }, (_, k) => ({
        day: D + k * 86_400,
        samples: randomDay(rng, trial % 2 ? "decimal2" : "integer"),
      }));
      const start = D + int(rng, -1000, 86_400);
      const end = start + int(rng, 0, count * 86_400);
      const resolution = [1, 7, 60, 300, 3600, 50_000, 86_400][int(rng, 0, 6)] as number;
      const minQuality = int(rng, 0, 2);
      const actual = aggregateSeries(input, { start, end, resolution, aggregates: ALL, minQuality });
      const expected = reference(input, start, end, resolution, minQuality);
      expect(actual.t, `trial ${trial}`).toEqual(expected.t);
      expect(actual.min).toEqual(expected.min);
      expect(actual.max).toEqual(expected.max);
      expect(actual.count).toEqual(expected.count);
      expect(actual.last).toEqual(expected.last);
      // Summation order is the same (time order), so the averages agree exactly.
      expect(actual.avg).toEqual(expected.avg);
    }
  });
});
