import { describe, expect, it } from "vitest";
import { DAY_VERSIONS, intenseActivity, type Person } from "../../../src/statistics/day";
import { at, keepOnly, keys, segment, set, typicalDay } from "./tables";

/** Age 40, rest 60: HRmax 208 - 0.7 x 40 = 180, reserve 120, moderate 60 + 48 = 108, vigorous 60 + 72 = 132. */
const adult: Person = { age: 40, restingHeartRate: 60 };

/** Heart rate while moving (activity 300, above the day's threshold of 45) over [from, to). */
const moving = (day: ReturnType<typeof typicalDay>, from: number, to: number, bpm: number) =>
  segment(day, from, to, bpm, 300);

describe("intenseActivity zones", () => {
  it("counts vigorous and moderate minutes at known heart-rate reserve, with the thresholds used", () => {
    const day = typicalDay(); // the noon walk: 30 min at 110 steps/min, moderate
    moving(day, at(17), at(17, 20), 140);
    moving(day, at(18), at(18, 10), 115);
    const result = intenseActivity(day, adult);
    expect(result.data, JSON.stringify(result)).toEqual({
      minutes: 20,
      moderateMinutes: 40,
      vigorousHeartRate: 132,
      moderateHeartRate: 108,
      maxHeartRate: 180,
      restingHeartRate: 60,
      vigorousCadence: 130,
      moderateCadence: 100,
    });
    expect(result.enoughData).toBe(true);
    expect(result.metadata).toMatchObject({
      version: DAY_VERSIONS.INTENSE_ACTIVITY,
      ageSource: "profile",
      restingHeartRateSource: "profile",
      maxHeartRateSource: "age",
    });
  });

  it("uses the default age of 40 when the age is unknown, and the age when known", () => {
    const day = typicalDay();
    moving(day, at(17), at(17, 10), 125); // vigorous at 60 years (123.6), moderate at 40 (108-132)
    const unknown = intenseActivity(day, { age: null, restingHeartRate: 60 });
    expect(unknown.data).toMatchObject({ minutes: 0, moderateMinutes: 40, maxHeartRate: 180 });
    expect(unknown.metadata.ageSource).toBe("default");
    const sixty = intenseActivity(day, { age: 60, restingHeartRate: 60 });
    expect(sixty.data).toMatchObject({ minutes: 10, moderateMinutes: 30, maxHeartRate: 166, vigorousHeartRate: 123.6 });
    expect(intenseActivity(day, { age: 300, restingHeartRate: 60 }).metadata.ageSource).toBe("default");
  });

  it("prefers a measured maximum heart rate", () => {
    const day = typicalDay();
    moving(day, at(17), at(17, 20), 140);
    const result = intenseActivity(day, { ...adult, maxHeartRate: 200 });
    expect(result.data).toMatchObject({ minutes: 0, maxHeartRate: 200, vigorousHeartRate: 144 });
    expect(result.metadata.maxHeartRateSource).toBe("profile");
  });

  it("takes the resting heart rate from the day when the profile has none, else 70", () => {
    const day = typicalDay();
    const fromDay = intenseActivity(day, { age: 40, restingHeartRate: null });
    expect(fromDay.data).toMatchObject({ restingHeartRate: 70, vigorousHeartRate: 136, moderateHeartRate: 114 });
    expect(fromDay.metadata.restingHeartRateSource).toBe("day");
    expect(intenseActivity(day, { age: 40, restingHeartRate: 5 }).metadata.restingHeartRateSource).toBe("day");
    const restless = typicalDay();
    set(restless, "cadence", at(7), at(23), 80); // never at rest: no daytime resting heart rate
    const fallback = intenseActivity(restless, { age: 40, restingHeartRate: null });
    expect(fallback.data.restingHeartRate).toBe(70);
    expect(fallback.metadata.restingHeartRateSource).toBe("default");
  });
});

describe("intenseActivity movement and bouts", () => {
  it("counts a cadence of 130 steps/min as vigorous even without heart rate", () => {
    const day = typicalDay();
    set(day, "cadence", at(19), at(19, 10), 135);
    set(day, "heartRate", at(19), at(19, 10), Number.NaN);
    expect(intenseActivity(day, adult).data).toMatchObject({ minutes: 10, moderateMinutes: 30 });
  });

  it("does not count a high heart rate while still", () => {
    const day = typicalDay();
    set(day, "heartRate", at(15), at(15, 20), 150);
    expect(intenseActivity(day, adult).data).toMatchObject({ minutes: 0, moderateMinutes: 30 });
  });

  it("counts a high heart rate in a workout with little wrist movement (cycling)", () => {
    const day = typicalDay();
    set(day, "heartRate", at(15), at(15, 20), 150);
    set(day, "workout", at(15), at(15, 20), 1);
    expect(intenseActivity(day, adult).data.minutes).toBe(20);
  });

  it("counts bouts of 1 min, not a single 30-s epoch", () => {
    const day = typicalDay();
    set(day, "cadence", at(19), at(19) + 1, 140);
    expect(intenseActivity(day, adult).data).toMatchObject({ minutes: 0, moderateMinutes: 30 });
    set(day, "cadence", at(19), at(19) + 2, 140);
    expect(intenseActivity(day, adult).data).toMatchObject({ minutes: 1, moderateMinutes: 30 });
  });

  it("bridges heart rate sent every other epoch", () => {
    const day = typicalDay();
    moving(day, at(17), at(17, 20), 140);
    for (let i = at(17) + 1; i < at(17, 20) - 1; i += 2) day.heartRate[i] = Number.NaN;
    expect(intenseActivity(day, adult).data.minutes).toBe(20);
  });

  it.each([
    ["activity counts", 1, "ACTIVITY_COUNT"],
    ["counts on a device 1000x larger", 1000, "ACTIVITY_COUNT"],
    ["motion intensity 0-1", 0.001, "MOTION_GRAPH"],
  ] as const)("gives the same minutes with %s", (_, scale, activitySource) => {
    const day = typicalDay({ scale, activitySource });
    segment(day, at(17), at(17, 20), 140, 300 * scale);
    segment(day, at(18), at(18, 10), 115, 300 * scale);
    segment(day, at(19), at(19, 10), 140, 20 * scale); // below the inactivity threshold: not moving
    expect(intenseActivity(day, adult).data).toMatchObject({ minutes: 20, moderateMinutes: 40 });
  });
});

describe("intenseActivity without enough data", () => {
  it("says why for 2 h of data, with the same data keys set to null", () => {
    const full = intenseActivity(typicalDay(), adult);
    const day = keepOnly(typicalDay(), at(11), at(13));
    const result = intenseActivity(day, adult);
    expect(result.enoughData).toBe(false);
    expect(result.metadata.reason).toMatch(/2 h of heart rate in the day \(8 h needed\)/);
    expect(keys(result.data)).toEqual(keys(full.data));
    expect(Object.values(result.data).every((v) => v === null)).toBe(true);
  });
});
