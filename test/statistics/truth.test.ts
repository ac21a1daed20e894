import { describe, expect, it } from "vitest";
import { DayComputation } from "../../src/statistics/engine";
import type { StatisticResult } from "../../src/statistics/epochs";
import { type SyntheticOptions, type SyntheticTruthDay, syntheticDays } from "../../src/statistics/synthetic";
import { STATISTIC_TYPES, type StatisticType } from "../../src/statistics/types";
import { syntheticSource } from "./synthetic-source";

/**
 * The statistics recover the known truth of synthetic data (src/statistics/synthetic.ts), within the tolerances
 * stated in docs/statistics.md "Tolerances". Three weeks per variant; the last seven days are checked (the first two
 * give the stress baseline and the regularity window their history). Nothing in the algorithms is fitted to this
 * generator: these are acceptance bounds, and the same algorithms meet published accuracy on real recordings.
 */

interface Checked {
  truth: SyntheticTruthDay;
  results: Map<StatisticType, StatisticResult>;
}

function run(options: Partial<SyntheticOptions>): Checked[] {
  const data = syntheticDays({ startDay: "2025-03-01", days: 21, seed: 1, ...options });
  const computation = new DayComputation(syntheticSource(data), "UTC", { age: data.person.age, calibration: null });
  return data.truth.slice(14).map((truth) => ({ truth, results: computation.compute(truth.day, STATISTIC_TYPES) }));
}

const num = (r: Checked, type: StatisticType, key: string): number => {
  const value = r.results.get(type)?.data[key];
  expect(typeof value, `${r.truth.day} ${type}.${key} = ${JSON.stringify(value)}`).toBe("number");
  return value as number;
};
const minutesBetween = (iso: unknown, unix: number) => Math.abs(Date.parse(String(iso)) / 1000 - unix) / 60;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Per-epoch sleep/wake agreement with the truth over the true time in bed (outside the hypnogram counts as wake). */
function epochAccuracy(r: Checked): number {
  const night = r.truth.night;
  const hypnogram = r.results.get("SLEEP_STAGES")?.data.hypnogram as { start: string; stages: string } | null;
  if (!night || !hypnogram) return 0;
  const start = Date.parse(hypnogram.start) / 1000;
  let agree = 0;
  for (let i = 0; i < night.stages.length; i++) {
    const j = Math.floor((night.inBedStart + i * 30 - start) / 30);
    const predictedSleep = j >= 0 && j < hypnogram.stages.length && hypnogram.stages[j] !== "W";
    if (predictedSleep === (night.stages[i] !== 0)) agree++;
  }
  return agree / night.stages.length;
}

function stageMinutes(r: Checked): number[] {
  const counts = [0, 0, 0, 0];
  for (const s of r.truth.night?.stages ?? []) counts[s] = (counts[s] as number) + 0.5;
  return counts;
}

describe("statistics recover the truth of synthetic data (1 Hz heart rate, counts per second)", () => {
  const days = run({});

  it("has enough data for every type on every day", () => {
    for (const r of days) {
      for (const type of STATISTIC_TYPES) {
        const result = r.results.get(type);
        expect(result?.enoughData, `${r.truth.day} ${type}: ${JSON.stringify(result?.metadata)}`).toBe(true);
      }
    }
  });

  // Onset and wake were ± 15 min until sleep 1.1.0. On 19 PSG-scored nights (docs/statistics.md "Validation") the
  // fitted model's onset is off by 6 min in the median but by 18-36 min on 3 nights, so 15 min for every night held
  // the algorithm to the generator rather than to sleep: 20 min now, the median and the rest unchanged.
  it("sleep: onset and wake ± 20 min, total sleep ± 30 min (median error ≤ 20), epoch accuracy ≥ 0.90 (mean ≥ 0.95)", () => {
    const accuracies: number[] = [];
    const errors: number[] = [];
    for (const r of days) {
      const night = r.truth.night;
      if (!night) throw new Error(`no true night on ${r.truth.day}`);
      const duration = r.results.get("SLEEP_DURATION")?.data ?? {};
      expect(minutesBetween(duration.sleepOnset, night.onset), r.truth.day).toBeLessThanOrEqual(20);
      expect(minutesBetween(duration.wakeTime, night.wake), r.truth.day).toBeLessThanOrEqual(20);
      const error = Math.abs(num(r, "SLEEP_DURATION", "totalSleepMinutes") - night.totalSleepMinutes);
      expect(error, r.truth.day).toBeLessThanOrEqual(30);
      errors.push(error);
      const accuracy = epochAccuracy(r);
      expect(accuracy, r.truth.day).toBeGreaterThanOrEqual(0.9);
      accuracies.push(accuracy);
    }
    expect(accuracies.reduce((a, b) => a + b, 0) / accuracies.length).toBeGreaterThanOrEqual(0.95);
    expect(median(errors)).toBeLessThanOrEqual(20);
  });

  // Each stage was within 40 min until sleep 1.1.0. On the PSG nights, deep and REM are off by 20-25 min in the median
  // and by 40-80 min on single nights: 50 min per night now.
  it("sleep stages: each stage within 50 min of the truth; light is the largest, deep and REM both present", () => {
    for (const r of days) {
      const [wake, light, deep, rem] = stageMinutes(r);
      const got = ["wakeMinutes", "lightMinutes", "deepMinutes", "remMinutes"].map((k) => num(r, "SLEEP_STAGES", k));
      [wake, light, deep, rem].forEach((truth, i) => {
        expect(Math.abs((got[i] as number) - (truth as number)), `${r.truth.day} stage ${i}`).toBeLessThanOrEqual(50);
      });
      expect(got[1]).toBeGreaterThan(Math.max(got[2] as number, got[3] as number));
      expect(got[2]).toBeGreaterThan(0);
      expect(got[3]).toBeGreaterThan(0);
    }
  });

  it("sleep cycles: 3 to 7 NREM-REM cycles a night (the generator makes 4-6 of 80-110 min)", () => {
    for (const r of days) {
      const cycles = num(r, "SLEEP_CYCLES", "cycles");
      expect(cycles, r.truth.day).toBeGreaterThanOrEqual(3);
      expect(cycles, r.truth.day).toBeLessThanOrEqual(7);
    }
  });

  it("sleep HRV: RMSSD within 10 % of the RR intervals' true RMSSD during sleep", () => {
    for (const r of days) {
      const truth = r.truth.night?.rmssd as number;
      expect(Math.abs(num(r, "SLEEP_HRV", "rmssd") - truth) / truth, r.truth.day).toBeLessThanOrEqual(0.1);
    }
  });

  it("sleep regularity: a schedule that varies by under an hour scores between 70 and 100", () => {
    for (const r of days) {
      const sri = num(r, "SLEEP_REGULARITY", "sri");
      expect(sri, r.truth.day).toBeGreaterThan(70);
      expect(sri, r.truth.day).toBeLessThanOrEqual(100);
    }
  });

  it("daytime resting heart rate ± 2 bpm", () => {
    for (const r of days) {
      expect(
        Math.abs(num(r, "DAYTIME_RESTING_HEART_RATE", "bpm") - r.truth.restingHeartRate),
        r.truth.day,
      ).toBeLessThanOrEqual(2);
    }
  });

  it("stress: episodes found where they are; minutes within 10 % (+ 1.5 min per episode of heart-rate decay)", () => {
    for (const r of days) {
      const truth = r.truth.stressEpisodes;
      const found = r.results.get("STRESS_FREQUENCY")?.data.episodes as { start: string }[];
      expect(found.length, r.truth.day).toBe(truth.length);
      truth.forEach((e, i) => {
        expect(minutesBetween(found[i]?.start, e.start), `${r.truth.day} episode ${i}`).toBeLessThanOrEqual(2);
      });
      const minutes = num(r, "STRESS_DURATION", "minutes");
      // The truth ends an episode when its stressor ends; heart rate then takes a minute or two to fall back below
      // the limit, and those minutes are above the limit, so they count (docs/statistics.md "Tolerances").
      expect(Math.abs(minutes - r.truth.stressMinutes), r.truth.day).toBeLessThanOrEqual(
        0.1 * r.truth.stressMinutes + 1.5 * truth.length,
      );
      expect(num(r, "STRESS_FREQUENCY", "count")).toBe(truth.length);
    }
  });

  it("intense activity: workout minutes above 60 % of heart-rate reserve, within 10 % (+ 2 min)", () => {
    for (const r of days) {
      const minutes = num(r, "INTENSE_ACTIVITY", "minutes");
      expect(Math.abs(minutes - r.truth.intenseMinutes), r.truth.day).toBeLessThanOrEqual(
        0.1 * r.truth.intenseMinutes + 2,
      );
    }
  });
});

describe("statistics on imperfect data", () => {
  it.each<[string, Partial<SyntheticOptions>]>([
    ["heart rate every 5 s", { seed: 3, heartRateIntervalSeconds: 5 }],
    ["counts per 60 s on a 10× device scale", { seed: 4, activity: "count-60s", activityScale: 10 }],
    ["counts per 30 s on a 0.1× device scale", { seed: 5, activity: "count-30s", activityScale: 0.1 }],
    ["motion graph only", { seed: 6, activity: "motion-only" }],
  ])("%s: mean epoch accuracy ≥ 0.88, median total-sleep error ≤ 30 min, resting HR ± 2 bpm", (_name, options) => {
    const days = run(options);
    const accuracy = days.map(epochAccuracy);
    expect(accuracy.reduce((a, b) => a + b, 0) / accuracy.length).toBeGreaterThanOrEqual(0.88);
    const errors = days.map((r) =>
      Math.abs(num(r, "SLEEP_DURATION", "totalSleepMinutes") - (r.truth.night?.totalSleepMinutes as number)),
    );
    expect(median(errors)).toBeLessThanOrEqual(30);
    for (const r of days) {
      expect(Math.abs(num(r, "DAYTIME_RESTING_HEART_RATE", "bpm") - r.truth.restingHeartRate)).toBeLessThanOrEqual(2);
    }
  });

  it("no heart rate at all: sleep from motion alone (median onset error ≤ 30 min, total-sleep error ≤ 45 min); stress, HRV and stages say why they cannot answer", () => {
    const days = run({ seed: 7, types: ["ACTIVITY_COUNT", "ACTIVITY_CADENCE"] });
    const onsets: number[] = [];
    const errors = days.map((r) => {
      const night = r.truth.night;
      if (!night) throw new Error("no night");
      onsets.push(minutesBetween(r.results.get("SLEEP_DURATION")?.data.sleepOnset, night.onset));
      return Math.abs(num(r, "SLEEP_DURATION", "totalSleepMinutes") - night.totalSleepMinutes);
    });
    // Motion alone cannot tell lying still on the sofa from sleep: an evening rest may start the night early.
    // Actigraphy alone is the weaker method (epoch accuracy 0.81-0.86 in the literature): a wider bound.
    expect(median(onsets)).toBeLessThanOrEqual(30);
    expect(median(errors)).toBeLessThanOrEqual(45);
    for (const r of days) {
      for (const type of ["STRESS_DURATION", "SLEEP_HRV", "SLEEP_STAGES", "DAYTIME_RESTING_HEART_RATE"] as const) {
        const result = r.results.get(type);
        expect(result?.enoughData, `${r.truth.day} ${type}`).toBe(false);
        expect(typeof result?.metadata.reason).toBe("string");
      }
    }
  });

  it("a day with only 2 hours of data is never enough", () => {
    const all = syntheticDays({ startDay: "2025-03-01", days: 3, seed: 8 });
    const t0 = Date.parse("2025-03-03T00:00:00Z") / 1000;
    const data = syntheticDays({
      startDay: "2025-03-01",
      days: 3,
      seed: 8,
      gaps: [
        { from: t0 - 2 * 86_400, to: t0 + 10 * 3600 },
        { from: t0 + 12 * 3600, to: t0 + 86_400 },
      ],
    });
    expect(data.truth.length).toBe(all.truth.length);
    const computation = new DayComputation(syntheticSource(data), "UTC", { age: 35, calibration: null });
    const results = computation.compute("2025-03-03", STATISTIC_TYPES);
    for (const type of STATISTIC_TYPES) {
      const result = results.get(type);
      expect(result?.enoughData, `${type}: ${JSON.stringify(result?.data)}`).toBe(false);
      expect(String(result?.metadata.reason).length, type).toBeGreaterThan(0);
    }
  });

  it("a night with a 40-minute gap is still measured, and its total sleep stays within 45 min", () => {
    const base = run({ seed: 9 });
    const night = base[3]?.truth.night;
    if (!night) throw new Error("no night");
    const gapStart = night.onset + 3 * 3600;
    const days = run({ seed: 9, gaps: [{ from: gapStart, to: gapStart + 40 * 60 }] });
    const r = days[3] as Checked;
    expect(r.results.get("SLEEP_DURATION")?.enoughData).toBe(true);
    expect(Math.abs(num(r, "SLEEP_DURATION", "totalSleepMinutes") - night.totalSleepMinutes)).toBeLessThanOrEqual(45);
  });
});
