import { describe, expect, it } from "vitest";
import {
  type AccumulatedUpload,
  createCsvParser,
  DayAccumulator,
  type DaySamples,
  decodeChunk,
} from "../../src/measurements";
import { bytes, NOW } from "./csv-helpers";
import { int, plain, prng, type Rng } from "./random";

const D = 1_672_531_200; // 2023-01-01T00:00:00Z, a UTC midnight

type Sample = [datetime: number, value: number, quality: number];

/** The reference model: a Map keyed by datetime where the later sample overwrites, grouped per UTC day. */
function model(samples: Sample[]): Map<number, { seconds: number[]; values: number[]; quality: number[] }> {
  const last = new Map<number, Sample>();
  for (const s of samples) last.set(s[0], s);
  const days = new Map<number, { seconds: number[]; values: number[]; quality: number[] }>();
  for (const [datetime, value, quality] of [...last.values()].sort((a, b) => a[0] - b[0])) {
    const day = datetime - (datetime % 86_400);
    const entry = days.get(day) ?? { seconds: [], values: [], quality: [] };
    entry.seconds.push(datetime - day);
    entry.values.push(value);
    entry.quality.push(quality);
    days.set(day, entry);
  }
  return days;
}

function decoded(upload: AccumulatedUpload): Map<number, ReturnType<typeof plain>> {
  return new Map(upload.days.map((d) => [d.day, plain(decodeChunk(d.chunk))]));
}

function accumulate(samples: Sample[], pendingLimit?: number): AccumulatedUpload {
  const acc = new DayAccumulator({ pendingLimit });
  for (const [d, v, q] of samples) acc.add(d, v, q);
  return acc.finish();
}

function randomSamples(rng: Rng, n: number, days: number): Sample[] {
  return Array.from({ length: n }, () => [D + int(rng, 0, days * 86_400 - 1), int(rng, 40, 180), int(rng, 0, 4)]);
}

describe("DayAccumulator", () => {
  it("groups samples by UTC day and keys them by second after midnight", () => {
    const upload = accumulate([
      [D + 86_399, 1, 4],
      [D + 86_400, 2, 3],
      [D, 3, 2],
    ]);
    expect(upload.days.map((d) => d.day)).toEqual([D, D + 86_400]);
    expect(upload.days.map((d) => d.count)).toEqual([2, 1]);
    expect(plain(decodeChunk(upload.days[0]?.chunk ?? new Uint8Array()))).toEqual({
      seconds: [0, 86_399],
      values: [3, 1],
      quality: [2, 4],
    });
    expect(upload.stats).toEqual({ rows: 3, samples: 3, first: D, last: D + 86_400, flushes: 2, peakPending: 3 });
  });

  it("keeps the last sample of a duplicated second, within and across flushes", () => {
    const samples: Sample[] = [
      [D + 5, 1, 4],
      [D + 6, 2, 4],
      [D + 5, 3, 1],
    ];
    expect(decoded(accumulate(samples)).get(D)).toEqual({ seconds: [5, 6], values: [3, 2], quality: [1, 4] });
    // pendingLimit 1 flushes after every sample, so the duplicate meets an already encoded chunk.
    expect(decoded(accumulate(samples, 1)).get(D)).toEqual({ seconds: [5, 6], values: [3, 2], quality: [1, 4] });
  });

  it("reports empty stats for no samples", () => {
    expect(accumulate([])).toEqual({
      days: [],
      stats: { rows: 0, samples: 0, first: null, last: null, flushes: 0, peakPending: 0 },
    });
  });

  it("matches the reference model for random order, duplicates and any memory limit (property)", () => {
    const rng = prng(77);
    for (let trial = 0; trial < 40; trial++) {
      const limit = [1, 7, 500, 100_000][trial % 4] as number;
      // A limit of 1 re-encodes on every sample: fewer samples keep that case quick.
      const samples = randomSamples(rng, int(rng, 0, limit === 1 ? 300 : 3000), int(rng, 1, 6));
      // Some trials replay a time-ordered stretch, the common case with its own fast paths.
      if (rng() < 0.3) samples.sort((a, b) => a[0] - b[0]);
      const upload = accumulate(samples, limit);
      const expected = model(samples);
      expect(decoded(upload), `trial ${trial}, limit ${limit}`).toEqual(expected);
      const distinct = [...expected.values()].reduce((n, d) => n + d.seconds.length, 0);
      expect(upload.stats.samples).toBe(distinct);
      expect(upload.stats.rows).toBe(samples.length);
      expect(upload.stats.peakPending).toBeLessThanOrEqual(limit);
    }
  });

  it("carries each day's count, first and last second, as its decoded chunk holds them (property)", () => {
    const rng = prng(78);
    for (let trial = 0; trial < 20; trial++) {
      const limit = [1, 7, 500, 100_000][trial % 4] as number;
      const upload = accumulate(randomSamples(rng, int(rng, 1, limit === 1 ? 300 : 3000), int(rng, 1, 4)), limit);
      for (const day of upload.days) {
        const { seconds } = decodeChunk(day.chunk);
        const at = `trial ${trial}, day ${day.day}`;
        expect([day.count, day.firstSecond, day.lastSecond], at).toEqual([
          seconds.length,
          seconds[0],
          seconds[seconds.length - 1],
        ]);
      }
    }
    const [edge] = accumulate([
      [D + 86_399, 1, 4],
      [D, 2, 4],
    ]).days;
    expect(edge).toMatchObject({ count: 2, firstSecond: 0, lastSecond: 86_399 });
  });

  it("bounds memory on a time-ordered month of 1 Hz data: each day is encoded once, in order", () => {
    const acc = new DayAccumulator();
    const days = 31;
    for (let t = 0; t < days * 86_400; t++) acc.add(D + t, 60 + ((t >> 4) % 40), 4);
    const upload = acc.finish();
    expect(upload.days).toHaveLength(days);
    expect(upload.days.every((d) => d.count === 86_400)).toBe(true);
    expect(upload.stats).toMatchObject({
      rows: days * 86_400,
      samples: days * 86_400,
      first: D,
      last: D + days * 86_400 - 1,
    });
    expect(upload.stats.flushes).toBe(days);
    expect(upload.stats.peakPending).toBeLessThanOrEqual(3 * 86_400);
    const last: DaySamples = decodeChunk(upload.days[days - 1]?.chunk ?? new Uint8Array());
    expect(last.values[86_399]).toBe(60 + (((days * 86_400 - 1) >> 4) % 40));
  });

  it("is a CSV sink: a parsed upload with a duplicate keeps the file's last row", () => {
    const acc = new DayAccumulator();
    const parser = createCsvParser("HEART_RATE", acc, { now: NOW });
    parser.push(bytes(`datetime,value,quality_indicator\n${D + 10},70,4\n${D + 10},72,3\n${D + 86_410},80,4\n`));
    parser.end();
    const upload = acc.finish();
    expect(decoded(upload).get(D)).toEqual({ seconds: [10], values: [72], quality: [3] });
    expect(upload.stats).toMatchObject({ rows: 3, samples: 2, first: D + 10, last: D + 86_410 });
  });

  it("refuses samples after finish", () => {
    const acc = new DayAccumulator();
    acc.finish();
    expect(() => acc.add(D, 1, 4)).toThrow(/after finish/);
  });
});
