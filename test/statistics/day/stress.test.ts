import { describe, expect, it } from "vitest";
import { DAY_VERSIONS, type HomeostasisResult, homeostasisLimit, stress } from "../../../src/statistics/day";
import type { EpochTable } from "../../../src/statistics/epochs";
import { at, emptyDay, keepOnly, keys, segment, set, time, typicalDay } from "./tables";

const calibration = (upper: unknown, extra: Record<string, unknown> = {}) => ({
  is_calibrated: true,
  homeostasis_upper_limit: upper,
  ...extra,
});
/** A calibrated limit of 80 bpm over a typical day at 70. */
const limit80: HomeostasisResult = homeostasisLimit(calibration(80), [typicalDay()]);
const days = (n: number, make: () => EpochTable = () => typicalDay()) => Array.from({ length: n }, make);

/**
 * Awake heart rate cycling through 64.5, 67.5, 70.5, 73.5, 76.5 bpm: median 70.5, MAD 3. Not whole numbers: each
 * epoch is the mean of several readings, as with heart rate every second.
 */
function varyingDay(): EpochTable {
  const day = typicalDay();
  for (let i = at(7); i < at(23); i++) if (day.cadence[i] !== 110) day.heartRate[i] = 64.5 + 3 * (i % 5);
  return day;
}

const iso = (t: number) => new Date(t * 1000).toISOString();
type StressEpisodeData = { start: string; end: string; minutes: number; peakAt: string; peakBpm: number } & {
  recoveryMinutes: number | null;
};

describe("homeostasisLimit", () => {
  it("uses a plausible calibrated upper limit", () => {
    const result = homeostasisLimit(
      calibration(85.3, { homeostasis_lower_limit: 60, heart_rate_min: 58, heart_rate_max: 142 }),
      days(3),
    );
    expect(result).toEqual({
      limit: { upperLimit: 85.3, source: "reactivity_calibration", baselineDays: 3, baseline: 70 },
    });
  });

  it("uses the calibration with no history to compare against", () => {
    expect(homeostasisLimit(calibration(80), [])).toEqual({
      limit: { upperLimit: 80, source: "reactivity_calibration", baselineDays: 0, baseline: null },
    });
  });

  it("derives median + 2 robust SDs (2 x 1.4826 x 3 = 8.9 bpm) of 14 days of awake rest when not calibrated", () => {
    const result = homeostasisLimit(undefined, days(14, varyingDay));
    expect(result).toEqual({
      limit: { upperLimit: 79.4, source: "personal_baseline", baselineDays: 14, baseline: 70.5 },
    });
  });

  it("keeps the limit at least 5 bpm above a very steady baseline, skipping missing and empty days", () => {
    const history = [emptyDay(), emptyDay(0), ...days(3), keepOnly(typicalDay(), at(9), at(10))];
    expect(homeostasisLimit(null, history)).toEqual({
      limit: { upperLimit: 75, source: "personal_baseline", baselineDays: 3, baseline: 70 },
    });
  });

  it("reads whole-bpm readings (heart rate once a minute) as the interval they were rounded from", () => {
    // Rest heart rate spread evenly over 65.4-74.6 bpm: median 70, MAD 2.3, limit 70 + 2 x 1.4826 x 2.3 = 76.8.
    const readings = (round: boolean) => {
      const day = typicalDay();
      let k = 0;
      for (let i = at(7); i < at(23); i++) {
        if (day.cadence[i] === 110) continue;
        const bpm = 65.4 + 9.2 * ((k++ * 0.618_034) % 1);
        day.heartRate[i] = round ? Math.round(bpm) : bpm;
      }
      return day;
    };
    const exact = homeostasisLimit(
      null,
      days(3, () => readings(false)),
    );
    expect(exact.limit).toMatchObject({ upperLimit: 76.8, baseline: 70 });
    // Rounded to whole bpm, the MAD of the values themselves is 2 (limit 75.9): each reading is taken as the
    // interval of 1 bpm it was rounded from, which gives back the limit of the exact values.
    const whole = homeostasisLimit(
      null,
      days(3, () => readings(true)),
    );
    expect(whole.limit).toMatchObject({ upperLimit: 76.8, baseline: 70 });
  });

  it("gives no limit from fewer than 3 days, and says why", () => {
    const result = homeostasisLimit({ is_calibrated: false }, days(2));
    expect(result.limit).toBeNull();
    expect("reason" in result && result.reason).toMatch(/is_calibrated.*3 days.*2 found/);
  });

  it.each([
    ["not calibrated", { is_calibrated: false, homeostasis_upper_limit: 80 }, /is_calibrated/],
    ["is_calibrated as a string", { is_calibrated: "true", homeostasis_upper_limit: 80 }, /is_calibrated/],
    ["no upper limit", { is_calibrated: true }, /not a number/],
    ["a string limit", calibration("80"), /not a number/],
    ["a NaN limit", calibration(Number.NaN), /not a number/],
    ["a limit of 300", calibration(300), /outside 40-180 bpm/],
    ["a limit of 20", calibration(20), /outside 40-180 bpm/],
    ["a lower limit above it", calibration(80, { homeostasis_lower_limit: 90 }), /lower_limit/],
    ["outside its own range", calibration(80, { heart_rate_min: 90, heart_rate_max: 150 }), /heart_rate_min/],
    ["below the personal baseline", calibration(65.8), /not above the personal rest median 70/],
  ])("ignores an implausible calibration: %s", (_, value, why) => {
    const result = homeostasisLimit(value, days(3));
    expect(result.limit, JSON.stringify(result)).toMatchObject({ source: "personal_baseline", upperLimit: 75 });
    expect(result.limit?.calibrationIgnored).toMatch(why);
  });

  it.each([null, undefined, "calibrated", 42, [80]])("treats %j as no calibration", (value) => {
    const result = homeostasisLimit(value, days(3));
    expect(result.limit).toEqual({ upperLimit: 75, source: "personal_baseline", baselineDays: 3, baseline: 70 });
  });
});

describe("stress episodes", () => {
  it("measures known episodes: minutes, count, recovery from the peak", () => {
    const day = typicalDay();
    set(day, "heartRate", at(10), at(10, 10), 85);
    set(day, "heartRate", at(10, 2), at(10, 2) + 1, 95); // the peak, then 7.5 min above before 10:10
    set(day, "heartRate", at(15), at(15, 4), 90); // a plateau: recovery counts from its last epoch
    const result = stress(day, limit80);
    expect(result.STRESS_DURATION.data, JSON.stringify(result.STRESS_DURATION)).toEqual({
      minutes: 14,
      upperLimit: 80,
      restMinutes: 16 * 60 - 30 - 15,
    });
    expect(result.STRESS_FREQUENCY.data).toEqual({
      count: 2,
      episodes: [
        {
          start: iso(time(10)),
          end: iso(time(10, 10)),
          minutes: 10,
          peakAt: iso(time(10, 2)),
          peakBpm: 95,
          recoveryMinutes: 8,
        },
        {
          start: iso(time(15)),
          end: iso(time(15, 4)),
          minutes: 4,
          peakAt: iso(time(15, 3) + 30),
          peakBpm: 90,
          recoveryMinutes: 0.5,
        },
      ],
    });
    expect(result.STRESS_RECOVERY.data).toEqual({ medianMinutes: 4.25, recoveredEpisodes: 2, unrecoveredEpisodes: 0 });
    for (const [type, r] of Object.entries(result)) {
      expect(r.enoughData, type).toBe(true);
      expect(r.metadata, type).toMatchObject({ baselineSource: "reactivity_calibration", upperLimit: 80 });
      expect(r.metadata.version, type).toBe(DAY_VERSIONS[type as keyof typeof DAY_VERSIONS]);
    }
  });

  it("measures recovery from the end of the peak's plateau, not from its single highest reading", () => {
    const day = typicalDay();
    // 10:00-10:10 above the limit of 80: readings of 88-92 with one of 96 at 10:03, then down to 84 at 10:09.
    const plateau = [90, 88, 91, 89, 92, 90, 96, 90, 89, 91, 88, 92, 90, 89, 91, 90, 88, 90];
    plateau.forEach((bpm, k) => {
      day.heartRate[at(10) + k] = bpm;
    });
    set(day, "heartRate", at(10, 9), at(10, 10), 84);
    const [episode] = stress(day, limit80).STRESS_FREQUENCY.data.episodes as StressEpisodeData[];
    expect(episode).toMatchObject({ start: iso(time(10)), end: iso(time(10, 10)), peakBpm: 96 });
    expect(episode?.peakAt).toBe(iso(time(10, 3)));
    // At the peak's level: within max(5 bpm, half the rise of 16 bpm) = 8 bpm of 96, so 88 and above. The last such
    // epoch starts at 10:08:30; back below the limit at 10:10: 1.5 min, where the single reading of 96 would say 7.
    expect(episode?.recoveryMinutes).toBe(1.5);
  });

  it("measures recovery from the peak when heart rate falls from it", () => {
    const day = typicalDay();
    // A peak of 100 for 2 min from 10:00, then a fall still above the limit: 87, 84, 82 for 2 min each.
    set(day, "heartRate", at(10), at(10, 2), 100);
    for (const [k, bpm] of [87, 84, 82].entries()) set(day, "heartRate", at(10, 2 + 2 * k), at(10, 4 + 2 * k), bpm);
    const [episode] = stress(day, limit80).STRESS_FREQUENCY.data.episodes as StressEpisodeData[];
    // The peak's level is 90 and above (half the rise of 20 bpm); it ends with the peak's last epoch at 10:01:30.
    expect(episode).toMatchObject({ minutes: 8, peakBpm: 100, peakAt: iso(time(10, 1) + 30), recoveryMinutes: 6.5 });
  });

  it("says when the limit came from the personal baseline", () => {
    const history = days(14, varyingDay);
    const day = history[13] as EpochTable;
    set(day, "heartRate", at(10), at(10, 10), 90);
    const result = stress(day, homeostasisLimit(undefined, history));
    expect(result.STRESS_DURATION.data).toMatchObject({ minutes: 10, upperLimit: 79.4 });
    expect(result.STRESS_DURATION.metadata).toMatchObject({
      baselineSource: "personal_baseline",
      baselineDays: 14,
      baseline: 70.5,
    });
  });

  it("merges runs less than 1 min apart and splits those 1 min apart", () => {
    const merged = typicalDay();
    set(merged, "heartRate", at(10), at(10, 5), 90);
    set(merged, "heartRate", at(10, 2), at(10, 2) + 1, 75);
    expect(stress(merged, limit80).STRESS_FREQUENCY.data.count).toBe(1);
    expect(stress(merged, limit80).STRESS_DURATION.data.minutes).toBe(5);
    const split = typicalDay();
    set(split, "heartRate", at(10), at(10, 5), 90);
    set(split, "heartRate", at(10, 2), at(10, 3), 75);
    expect(stress(split, limit80).STRESS_FREQUENCY.data.count).toBe(2);
    expect(stress(split, limit80).STRESS_DURATION.data.minutes).toBe(4);
  });

  it("needs 2 min above the limit for an episode", () => {
    const day = typicalDay();
    set(day, "heartRate", at(10), at(10, 1, 30), 90);
    expect(stress(day, limit80).STRESS_FREQUENCY.data).toEqual({ count: 0, episodes: [] });
    set(day, "heartRate", at(10), at(10, 2), 90);
    expect(stress(day, limit80).STRESS_FREQUENCY.data.count).toBe(1);
  });

  it("is not stress in a workout, while walking, or while moving", () => {
    const day = typicalDay();
    set(day, "heartRate", at(9), at(9, 20), 100);
    set(day, "workout", at(9), at(9, 20), 1);
    segment(day, at(15), at(15, 20), 100, 2);
    set(day, "cadence", at(15), at(15, 20), 110);
    segment(day, at(17), at(17, 20), 100, 300);
    const result = stress(day, limit80);
    expect(result.STRESS_DURATION.data.minutes).toBe(0);
    expect(result.STRESS_FREQUENCY.data.count).toBe(0);
    expect(result.STRESS_RECOVERY.data.medianMinutes).toBeNull();
  });

  it("leaves out 5 min after a short bout and 15 min after a long one", () => {
    const day = typicalDay();
    segment(day, at(14), at(14, 6), 100, 300); // 6 min moving
    set(day, "heartRate", at(14, 6), at(14, 20), 90);
    segment(day, at(16), at(16, 20), 100, 300); // 20 min moving
    set(day, "heartRate", at(16, 20), at(16, 45), 90);
    const episodes = stress(day, limit80).STRESS_FREQUENCY.data.episodes as { start: string; minutes: number }[];
    expect(episodes.map((e) => [e.start, e.minutes])).toEqual([
      [iso(time(14, 11)), 9],
      [iso(time(16, 35)), 10],
    ]);
  });

  it("excludes sleep: the default night, or the given sleep period", () => {
    const day = typicalDay();
    set(day, "heartRate", at(22, 15), at(22, 30), 90);
    set(day, "heartRate", at(6), at(6, 20), 90); // before 07:00: the default night
    expect(stress(day, limit80).STRESS_DURATION.data.minutes).toBe(15);
    expect(stress(day, limit80, null).STRESS_DURATION.data.minutes).toBe(15);
    const sleep = { from: time(22), to: time(31) };
    expect(stress(day, limit80, sleep).STRESS_DURATION.data.minutes).toBe(0);
  });

  it("leaves recovery unknown when movement or sleep ends an episode", () => {
    const day = typicalDay();
    set(day, "heartRate", at(16), at(16, 10), 90);
    segment(day, at(16, 10), at(16, 20), 100, 300);
    set(day, "heartRate", at(22, 50), at(23), 90); // runs into the night
    const result = stress(day, limit80);
    expect(result.STRESS_FREQUENCY.data.count).toBe(2);
    expect(result.STRESS_RECOVERY.data).toEqual({ medianMinutes: null, recoveredEpisodes: 0, unrecoveredEpisodes: 2 });
    expect(result.STRESS_RECOVERY.enoughData).toBe(true);
  });
});

describe("stress without enough data", () => {
  const full = stress(typicalDay(), limit80);
  const sameShape = (result: ReturnType<typeof stress>) => {
    for (const type of ["STRESS_DURATION", "STRESS_FREQUENCY", "STRESS_RECOVERY"] as const) {
      expect(result[type].enoughData, type).toBe(false);
      expect(keys(result[type].data), type).toEqual(keys(full[type].data));
      expect(
        Object.values(result[type].data).every((v) => v === null),
        type,
      ).toBe(true);
    }
  };

  it("says why for 2 h of data, with the same data keys set to null", () => {
    const result = stress(keepOnly(typicalDay(), at(9), at(11)), limit80);
    sameShape(result);
    expect(result.STRESS_DURATION.metadata.reason).toMatch(/2 h of awake heart rate with activity \(8 h needed\)/);
  });

  it("needs activity: heart rate alone cannot tell stress from movement", () => {
    const day = typicalDay({ activitySource: null });
    day.activity.fill(Number.NaN);
    day.cadence.fill(Number.NaN);
    const result = stress(day, limit80);
    sameShape(result);
    expect(result.STRESS_FREQUENCY.metadata.reason).toMatch(/0 h of awake heart rate with activity/);
  });

  it("passes on why there is no limit", () => {
    const limit = homeostasisLimit(undefined, days(1));
    const result = stress(typicalDay(), limit);
    sameShape(result);
    expect(result.STRESS_RECOVERY.metadata).toMatchObject({ baselineSource: null });
    expect(result.STRESS_RECOVERY.metadata.reason).toMatch(/no reactivity_calibration; personal baseline needs 3 days/);
  });
});
