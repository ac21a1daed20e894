import { describe, expect, it } from "vitest";
import {
  dayPairSri,
  NO_DATA,
  SLEEP,
  SLEEP_REGULARITY_KEYS,
  sleepRegularity,
  WAKE,
} from "../../../src/statistics/sleep";
import { random } from "./tables";

const MIDNIGHT = Date.UTC(2026, 2, 2) / 1000;
const DAY = 86_400;
/** A day's vector from a rule on the epoch index (2880 epochs unless given). */
const day = (d: number, code: (i: number) => number, epochs = 2880, start = MIDNIGHT + d * DAY) => ({
  start,
  sleepWake: Uint8Array.from({ length: epochs }, (_, i) => code(i)),
});
/** Asleep 00:00-07:00 and 23:00-24:00. */
const usual = (i: number) => (i < 840 || i >= 2760 ? SLEEP : WAKE);
const week = (code: (d: number, i: number) => number, days = 8) =>
  Array.from({ length: days }, (_, d) => day(d, (i) => code(d, i)));

describe("SLEEP_REGULARITY (Sleep Regularity Index, GGIR per day pair)", () => {
  it("is 100 for identical days", () => {
    const { data, enoughData } = sleepRegularity(week((_, i) => usual(i)));
    expect(enoughData).toBe(true);
    expect(data).toMatchObject({ sri: 100, dayPairs: 7, fractionValid: 1 });
  });

  it("is -100 for days each the inverse of the one before", () => {
    const { data } = sleepRegularity(week((d, i) => (d % 2 === 0 ? usual(i) : 1 - usual(i))));
    expect(data.sri).toBe(-100);
  });

  it("is about 0 for random days", () => {
    const next = random(42);
    const { data } = sleepRegularity(week(() => (next() < 0.5 ? SLEEP : WAKE)));
    expect(Math.abs(data.sri as number)).toBeLessThan(5);
  });

  it("reproduces GGIR's own test: a 10 % shift between two days is 80", () => {
    // test_CalcSleepRegularityIndex.R: sleep over 0.5-0.8 of one day and 0.5-0.9 of the next.
    const span = (from: number, to: number) => (i: number) => (i >= from * 2880 && i < to * 2880 ? SLEEP : WAKE);
    expect(dayPairSri(day(0, span(0.5, 0.8)).sleepWake, day(1, span(0.5, 0.9)).sleepWake).sri).toBeCloseTo(80, 9);
    expect(dayPairSri(day(0, span(0.5, 0.9)).sleepWake, day(1, span(0.4, 0.9)).sleepWake).sri).toBeCloseTo(80, 9);
  });

  it("compares only epochs valid in both days", () => {
    // Day 3 has no data 00:00-06:00; elsewhere it matches. Its neighbours differ from it only where it has no data.
    const days = week((d, i) => (d === 3 && i < 720 ? NO_DATA : d === 4 && i < 720 ? 1 - usual(i) : usual(i)));
    const { data } = sleepRegularity(days);
    const pairs = data.pairs as Array<{ sri: number; fractionValid: number; used: boolean }>;
    expect(pairs[2]).toMatchObject({ sri: 100, fractionValid: 0.75, used: true });
    expect(pairs[3]).toMatchObject({ sri: 100, fractionValid: 0.75, used: true });
    expect(pairs[4]?.sri).toBe(50);
  });

  it("skips day pairs with less than 16 h valid, and needs 5 of the last 7", () => {
    // Days 2 and 5 have 10 h of data only: pairs 1-2, 2-3, 4-5, 5-6 are skipped, 3 remain.
    const days = week((d, i) => ((d === 2 || d === 5) && i >= 1200 ? NO_DATA : usual(i)));
    const result = sleepRegularity(days);
    expect(result.enoughData).toBe(false);
    expect(Object.keys(result.data).sort()).toEqual([...SLEEP_REGULARITY_KEYS].sort());
    expect(Object.values(result.data).every((v) => v === null)).toBe(true);
    expect(result.metadata.reason).toBe(
      "the Sleep Regularity Index needs 5 of the last 7 day pairs with at least 16 h of valid data in both days; 3 have it",
    );
    // With only day 2 short, 5 pairs remain: enough.
    const one = sleepRegularity(week((d, i) => (d === 2 && i >= 1200 ? NO_DATA : usual(i))));
    expect(one.data).toMatchObject({ sri: 100, dayPairs: 5 });
  });

  it("uses the 7 day pairs ending on the reported day, and pairs only consecutive days", () => {
    // 10 days: the oldest two are inverted, but fall outside the 8 days used.
    const old = sleepRegularity(week((d, i) => (d < 2 && d % 2 === 1 ? 1 - usual(i) : usual(i)), 10));
    expect(old.data).toMatchObject({ sri: 100, dayPairs: 7 });
    // A missing day leaves no pair across it.
    const gap = week((_, i) => usual(i)).filter((_, d) => d !== 4);
    expect(sleepRegularity(gap).data).toMatchObject({ dayPairs: 5 });
  });

  it("compares DST days over the shorter day, as GGIR does", () => {
    // A 23-h day (2760 epochs) then a 25-h day (3000 epochs), each followed 23 or 25 h later by the next.
    const days = [
      day(0, usual),
      day(1, usual),
      day(2, usual, 2760),
      day(0, usual, 2880, MIDNIGHT + 3 * DAY - 3600),
      day(0, usual, 3000, MIDNIGHT + 4 * DAY - 3600),
      day(0, usual, 2880, MIDNIGHT + 5 * DAY),
    ];
    const { data } = sleepRegularity(days);
    const pairs = data.pairs as Array<{ fractionValid: number }>;
    expect(pairs.map((p) => p.fractionValid)).toEqual([1, 0.9583, 0.9583, 1, 1]);
    expect(data.dayPairs).toBe(5);
  });
});
