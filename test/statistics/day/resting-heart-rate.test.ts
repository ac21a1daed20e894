import { describe, expect, it } from "vitest";
import { DAY_VERSIONS, daytimeRestingHeartRate } from "../../../src/statistics/day";
import { epochStart } from "../../../src/statistics/epochs";
import { at, emptyDay, keepOnly, keys, MIDNIGHT, segment, set, time, typicalDay } from "./tables";

describe("daytimeRestingHeartRate from RESTING_HEART_RATE samples", () => {
  it("takes the median of the awake samples, not the heart rate", () => {
    const day = typicalDay();
    set(day, "heartRate", at(14), at(14, 30), 50);
    set(day, "restingHeartRate", at(9), at(9) + 1, 58);
    set(day, "restingHeartRate", at(15), at(15) + 1, 62);
    set(day, "restingHeartRate", at(16), at(16) + 1, 66);
    set(day, "restingHeartRate", at(3), at(3) + 1, 40); // asleep: not a daytime sample
    const result = daytimeRestingHeartRate(day);
    expect(result.data, JSON.stringify(result)).toEqual({ bpm: 62, source: "RESTING_HEART_RATE", windowStart: null });
    expect(result.enoughData).toBe(true);
    expect(result.metadata).toMatchObject({ samples: 3, samplesWindow: "awake" });
  });

  it("uses the night's samples when the watch sent none while awake", () => {
    const day = typicalDay();
    set(day, "restingHeartRate", at(3), at(3) + 1, 52);
    const result = daytimeRestingHeartRate(day);
    expect(result.data.bpm).toBe(52);
    expect(result.metadata).toMatchObject({ samples: 1, samplesWindow: "day" });
  });

  it("ignores implausible samples and falls back to heart rate", () => {
    const day = typicalDay();
    set(day, "restingHeartRate", at(9), at(9) + 1, 250);
    set(day, "restingHeartRate", at(10), at(10) + 1, 10);
    const result = daytimeRestingHeartRate(day);
    expect(result.data).toMatchObject({ bpm: 70, source: "HEART_RATE" });
  });
});

describe("daytimeRestingHeartRate from heart rate", () => {
  it("is the lowest 5-min window of awake rest, with where it starts", () => {
    const day = typicalDay();
    set(day, "heartRate", at(14), at(14, 10), 58);
    const result = daytimeRestingHeartRate(day);
    expect(result.data, JSON.stringify(result)).toEqual({
      bpm: 58,
      source: "HEART_RATE",
      windowStart: new Date(epochStart(day, at(14)) * 1000).toISOString(),
    });
    expect(result.enoughData).toBe(true);
    expect(result.metadata).toMatchObject({ activityChecked: true, version: DAY_VERSIONS.DAYTIME_RESTING_HEART_RATE });
  });

  it("does not count a single low epoch", () => {
    const day = typicalDay();
    set(day, "heartRate", at(14), at(14) + 1, 45);
    expect(daytimeRestingHeartRate(day).data.bpm).toBe(70);
  });

  it("does not take a 3-min dip for a sustained 5-min level", () => {
    const day = typicalDay();
    set(day, "heartRate", at(14), at(14, 3), 50);
    const bpm = daytimeRestingHeartRate(day).data.bpm as number;
    expect(bpm).toBeGreaterThan(55);
    expect(bpm).toBeLessThan(70);
  });

  it("finds a sustained level when heart rate comes only every other epoch", () => {
    const day = typicalDay();
    for (let i = at(7); i < at(23); i += 2) day.heartRate[i] = Number.NaN;
    set(day, "heartRate", at(14), at(14, 10), 58);
    for (let i = at(14); i < at(14, 10); i += 2) day.heartRate[i] = Number.NaN;
    expect(daytimeRestingHeartRate(day).data.bpm).toBe(58);
  });

  it("excludes exercise: a workout, walking, and the recovery after a walk", () => {
    const day = typicalDay();
    set(day, "heartRate", at(16), at(16, 20), 50);
    set(day, "workout", at(16), at(16, 20), 1); // low heart rate inside a workout (yoga)
    set(day, "heartRate", at(12, 10), at(12, 20), 50); // during the noon walk (cadence 110)
    set(day, "heartRate", at(12, 30), at(12, 44), 52); // within 15 min after the 30-min walk
    const result = daytimeRestingHeartRate(day);
    expect(result.data.bpm, JSON.stringify(result)).toBe(70);
  });

  it("counts rest after the recovery window", () => {
    const day = typicalDay();
    set(day, "heartRate", at(12, 45), at(12, 55), 57);
    expect(daytimeRestingHeartRate(day).data.bpm).toBe(57);
  });

  it("excludes the default night 23:00-07:00 when no sleep period is given", () => {
    const day = typicalDay({ asleep: 48 });
    expect(daytimeRestingHeartRate(day).data.bpm).toBe(70);
    set(day, "heartRate", at(7), at(8), 60);
    expect(daytimeRestingHeartRate(day).data.bpm).toBe(60);
  });

  it("uses the given sleep period instead of the default morning", () => {
    const day = typicalDay();
    set(day, "heartRate", at(7), at(8), 60); // still asleep until 08:30
    segment(day, at(6), at(7), 62, 2); // awake from 06:00 after a shorter night
    const lateSleep = { from: MIDNIGHT - 3600, to: time(8, 30) };
    const earlySleep = { from: MIDNIGHT - 3600, to: time(6) };
    expect(daytimeRestingHeartRate(day, lateSleep).data.bpm).toBe(70);
    expect(daytimeRestingHeartRate(day, earlySleep).data.bpm).toBe(60);
    expect(daytimeRestingHeartRate(day, null).data.bpm).toBe(60);
    set(day, "heartRate", at(7), at(8), 70);
    expect(daytimeRestingHeartRate(day, earlySleep).data.bpm).toBe(62);
    expect(daytimeRestingHeartRate(day, null).data.bpm).toBe(70);
  });

  it("reads the local clock on a 23-h DST day", () => {
    const day = typicalDay({ length: 2760 }); // wakes at elapsed 06:00 = local 07:00
    set(day, "heartRate", at(6), at(6, 30), 61);
    expect(daytimeRestingHeartRate(day).data.bpm).toBe(61);
    const normal = typicalDay();
    segment(normal, at(6), at(6, 30), 61, 2);
    expect(daytimeRestingHeartRate(normal).data.bpm).toBe(70);
  });

  it("works without any activity stream, and says so", () => {
    const day = typicalDay({ activitySource: null });
    day.activity.fill(Number.NaN);
    set(day, "heartRate", at(14), at(14, 10), 59);
    const result = daytimeRestingHeartRate(day);
    expect(result.data.bpm).toBe(59);
    expect(result.metadata.activityChecked).toBe(false);
  });
});

describe("daytimeRestingHeartRate without enough data", () => {
  it("says why for 2 h of heart rate, with the same data keys set to null", () => {
    const full = daytimeRestingHeartRate(typicalDay());
    const result = daytimeRestingHeartRate(keepOnly(typicalDay(), at(9), at(11)));
    expect(result.enoughData).toBe(false);
    expect(result.metadata.reason).toMatch(/2 h of awake heart rate \(4 h needed\)/);
    expect(result.data).toEqual({ bpm: null, source: null, windowStart: null });
    expect(keys(result.data)).toEqual(keys(full.data));
  });

  it("needs a rest window, not just heart rate", () => {
    const day = typicalDay();
    set(day, "cadence", at(7), at(23), 80); // walking all day
    const result = daytimeRestingHeartRate(day);
    expect(result.enoughData).toBe(false);
    expect(result.metadata.reason).toMatch(/no 5-min window/);
  });

  it("is not enough for an empty day", () => {
    expect(daytimeRestingHeartRate(emptyDay()).enoughData).toBe(false);
  });
});
