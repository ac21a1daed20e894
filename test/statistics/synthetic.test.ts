import { describe, expect, it } from "vitest";
import { COLUMN_SPECS, createCsvParser, MEASUREMENT_TYPES, type MeasurementType } from "../../src/measurements";
import { SampleRules } from "../../src/measurements/sample-rules";
import {
  SYNTHETIC_ACTIVITY,
  SYNTHETIC_TYPES,
  type SyntheticData,
  type SyntheticOptions,
  type SyntheticSeries,
  type SyntheticTruthDay,
  syntheticDays,
  toCsv,
} from "../../src/statistics/synthetic";

/** The synthetic-data generator (src/statistics/synthetic.ts): its output obeys the upload rules and its truth. */

const DAY = 86_400;
const START = "2025-03-01";
const T0 = Date.UTC(2025, 2, 1) / 1000;
const NOW = T0 + 200 * DAY;
const OPTIONS: SyntheticOptions = { startDay: START, days: 4, seed: 42 };
const data = syntheticDays(OPTIONS);
const nights = data.truth.flatMap((day) => (day.night ? [day.night] : []));

const sameSeries = (a: SyntheticSeries, b: SyntheticSeries) =>
  a.seconds.length === b.seconds.length &&
  a.seconds.every((s, k) => s === b.seconds[k]) &&
  a.values.every((v, k) => v === b.values[k]) &&
  a.quality.every((q, k) => q === b.quality[k]);
const truthJson = (d: SyntheticData) =>
  JSON.stringify(d.truth, (_, v) => (v instanceof Uint8Array ? Array.from(v) : v));
/** Indices of the samples in [from, to). */
function within(series: SyntheticSeries, from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < series.seconds.length; k++) {
    const t = series.seconds[k] as number;
    if (t >= from && t < to) out.push(k);
  }
  return out;
}
const mean = (series: SyntheticSeries, from: number, to: number) => {
  const ks = within(series, from, to);
  return ks.reduce((sum, k) => sum + (series.values[k] as number), 0) / ks.length;
};
const seriesOf = (d: SyntheticData, type: string) => d.series[type] as SyntheticSeries;

describe("synthetic data: determinism and options", () => {
  it("same options give byte-identical output; another seed gives other data", () => {
    const again = syntheticDays(OPTIONS);
    for (const type of SYNTHETIC_TYPES) {
      expect(toCsv(type, seriesOf(again, type)), type).toBe(toCsv(type, seriesOf(data, type)));
    }
    expect(truthJson(again)).toBe(truthJson(data));
    expect(again.sessions).toEqual(data.sessions);
    const other = syntheticDays({ ...OPTIONS, seed: 43 });
    expect(sameSeries(seriesOf(other, "HEART_RATE"), seriesOf(data, "HEART_RATE"))).toBe(false);
    expect(truthJson(other)).not.toBe(truthJson(data));
  });

  it("emits all ten types by default, only the chosen ones otherwise, each unchanged by the choice", () => {
    expect(Object.keys(data.series).sort()).toEqual([...MEASUREMENT_TYPES].sort());
    const some = syntheticDays({ ...OPTIONS, types: ["TEMPERATURE", "HEART_BEAT"] });
    expect(Object.keys(some.series).sort()).toEqual(["HEART_BEAT", "TEMPERATURE"]);
    expect(sameSeries(seriesOf(some, "TEMPERATURE"), seriesOf(data, "TEMPERATURE"))).toBe(true);
    expect(truthJson(some)).toBe(truthJson(data));
    const noResting = syntheticDays({ ...OPTIONS, days: 1, restingHeartRateSamples: false });
    expect(noResting.series.RESTING_HEART_RATE).toBeUndefined();
  });

  it("refuses bad options", () => {
    expect(() => syntheticDays({ startDay: "2025-3-1", days: 1 })).toThrow(/startDay/);
    expect(() => syntheticDays({ startDay: START, days: 0 })).toThrow(/days/);
    expect(() => syntheticDays({ startDay: START, days: 121 })).toThrow(/days/);
    expect(() => syntheticDays({ startDay: START, days: 1, types: ["STEPS"] })).toThrow(/unknown type/);
    expect(() => syntheticDays({ startDay: START, days: 1, heartRateIntervalSeconds: 0 })).toThrow();
  });

  it("sends HEART_RATE every N seconds with heartRateIntervalSeconds", () => {
    const hr = seriesOf(syntheticDays({ ...OPTIONS, days: 1, heartRateIntervalSeconds: 5 }), "HEART_RATE");
    expect(hr.seconds.length).toBe(DAY / 5);
    expect(hr.seconds.every((s, k) => s === T0 + 5 * k)).toBe(true);
  });

  it("the UTC offset moves the whole local schedule, not the physiology", () => {
    const east = syntheticDays({ ...OPTIONS, utcOffsetMinutes: 120 });
    const shift = (t: number) => t - 7200;
    expect(east.truth.map((d) => d.day)).toEqual(data.truth.map((d) => d.day));
    data.truth.forEach((day, i) => {
      const other = east.truth[i] as SyntheticTruthDay;
      expect(other.night?.onset).toBe(day.night ? shift(day.night.onset) : undefined);
      expect(other.stressEpisodes).toEqual(
        day.stressEpisodes.map((e) => ({ start: shift(e.start), end: shift(e.end) })),
      );
      expect(other.workout?.start).toBe(day.workout ? shift(day.workout.start) : undefined);
    });
    const hr = seriesOf(east, "HEART_RATE");
    expect(hr.seconds[0]).toBe(T0 - 7200);
    expect(hr.values.every((v, k) => v === seriesOf(data, "HEART_RATE").values[k])).toBe(true);
    // Lights-out stays near 23:00 local time wherever the person lives.
    for (const night of east.truth.flatMap((d) => (d.night ? [d.night] : []))) {
      const localHour = ((((night.inBedStart + 7200) % DAY) + DAY) % DAY) / 3600;
      expect(localHour > 22 && localHour < 24).toBe(true);
    }
  });
});

describe("synthetic data: the upload format", () => {
  it("every emitted sample passes the upload rules of its type", () => {
    for (const type of MEASUREMENT_TYPES) {
      const rules = new SampleRules(type, NOW);
      const { seconds, values, quality } = seriesOf(data, type);
      expect(seconds.length, type).toBeGreaterThan(0);
      const bad: string[] = [];
      for (let k = 0; k < seconds.length; k++) {
        const t = seconds[k] as number;
        if (k > 0 && t <= (seconds[k - 1] as number)) bad.push(`${t} not ascending`);
        if (!rules.accepts(t, values[k] as number, quality[k] as number)) bad.push(`${t},${values[k]},${quality[k]}`);
        if (!COLUMN_SPECS[type].hasQuality && quality[k] !== 4) bad.push(`${t} graph quality ${quality[k]}`);
      }
      expect(bad.slice(0, 5), type).toEqual([]);
    }
  });

  it("the CSV parses back through the upload parser to exactly the series", () => {
    for (const type of MEASUREMENT_TYPES) {
      const series = seriesOf(data, type);
      const text = toCsv(type, series);
      expect(text.split("\n", 1)[0]).toBe(COLUMN_SPECS[type].columns.join(","));
      expect(text.endsWith("\n")).toBe(true);
      const rows: number[][] = [];
      const parser = createCsvParser(type as MeasurementType, { add: (d, v, q) => rows.push([d, v, q]) }, { now: NOW });
      parser.push(new TextEncoder().encode(text));
      parser.end();
      expect(rows.length, type).toBe(series.seconds.length);
      const differ = rows.filter(
        ([d, v, q], k) => d !== series.seconds[k] || v !== series.values[k] || q !== series.quality[k],
      );
      expect(differ.slice(0, 3), type).toEqual([]);
    }
  });

  it("writes numbers as String() does, and refuses a fraction for an integer type", () => {
    const series = {
      seconds: Int32Array.from([T0, T0 + 1, T0 + 2, T0 + 3, T0 + 4]),
      values: Float64Array.from([12.5, -3.25, 0.1, 1 / 3, 1e-7]),
      quality: Uint8Array.from([4, 3, 2, 1, 0]),
    };
    expect(toCsv("TEMPERATURE", series)).toBe(
      `datetime,value,quality_indicator\n${[...series.values].map((v, k) => `${T0 + k},${v},${4 - k}`).join("\n")}\n`,
    );
    expect(toCsv("MOTION_GRAPH", series).split("\n")[1]).toBe(`${T0},12.5`);
    expect(() => toCsv("HEART_RATE", series)).toThrow(/integer/);
  });
});

describe("synthetic data: the truth", () => {
  it("has one entry per local day, a night on every day but the first", () => {
    expect(data.truth.map((d) => d.day)).toEqual(["2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04"]);
    expect(data.truth.map((d) => d.night === null)).toEqual([true, false, false, false]);
    expect(data.person).toEqual({ age: 35, maxHeartRate: 184 });
    for (const day of data.truth) {
      expect(Math.abs(day.restingHeartRate - 58)).toBeLessThanOrEqual(1);
      const resting = within(seriesOf(data, "RESTING_HEART_RATE"), T0, T0 + 5 * DAY)
        .map((k) => seriesOf(data, "RESTING_HEART_RATE").seconds[k] as number)
        .filter((t) => new Date(t * 1000).toISOString().startsWith(day.day));
      expect(resting.length).toBeGreaterThan(10);
    }
  });

  it("nights: stages cover exactly the in-bed epochs; sleep minutes are the sleeping epochs / 2", () => {
    expect(nights.length).toBe(3);
    for (const night of nights) {
      const { inBedStart, onset, wake, inBedEnd, stages } = night;
      for (const t of [inBedStart, onset, wake, inBedEnd]) expect(t % 30).toBe(0);
      expect(inBedStart < onset && onset < wake && wake < inBedEnd).toBe(true);
      expect(stages.length).toBe((inBedEnd - inBedStart) / 30);
      const epoch = (t: number) => (t - inBedStart) / 30;
      expect([...stages.subarray(0, epoch(onset))].every((s) => s === 0)).toBe(true);
      expect([...stages.subarray(epoch(wake))].every((s) => s === 0)).toBe(true);
      expect(stages[epoch(onset)]).not.toBe(0);
      expect(stages[epoch(wake) - 1]).not.toBe(0);
      const counts = [0, 0, 0, 0];
      for (const s of stages) counts[s] = (counts[s] as number) + 1;
      expect(night.totalSleepMinutes).toBe((stages.length - (counts[0] as number)) / 2);
      const asleep = stages.length - (counts[0] as number);
      expect(night.totalSleepMinutes).toBeGreaterThan(5 * 60);
      expect((counts[2] as number) / asleep).toBeGreaterThan(0.08);
      expect((counts[3] as number) / asleep).toBeGreaterThan(0.12);
      // Deep sleep mostly in the first half of the night, REM mostly in the second.
      const half = epoch(onset) + Math.floor((epoch(wake) - epoch(onset)) / 2);
      const share = (stage: number) => stages.subarray(0, half).filter((s) => s === stage).length;
      expect(share(2)).toBeGreaterThan(0.7 * (counts[2] as number));
      expect(share(3)).toBeLessThan(0.5 * (counts[3] as number));
    }
  });

  it("nights: heart rate below resting (deep lowest), still body, the RMSSD of the generated RR", () => {
    const hr = seriesOf(data, "HEART_RATE");
    const beats = seriesOf(data, "HEART_BEAT");
    const counts = seriesOf(data, "ACTIVITY_COUNT");
    for (const night of nights) {
      const resting = data.truth.find((d) => d.day === night.day)?.restingHeartRate as number;
      const stageOf = (t: number) =>
        t >= night.inBedStart && t < night.inBedEnd
          ? (night.stages[Math.floor((t - night.inBedStart) / 30)] as number)
          : -1;
      const byStage = [0, 1, 2, 3].map((stage) => {
        const ks = within(hr, night.onset, night.wake).filter((k) => stageOf(hr.seconds[k] as number) === stage);
        return ks.reduce((sum, k) => sum + (hr.values[k] as number), 0) / ks.length;
      });
      expect(byStage[1]).toBeLessThan(resting);
      expect(byStage[2]).toBeLessThan(byStage[1] as number);
      expect(byStage[3]).toBeGreaterThan(byStage[2] as number);
      const moving = within(counts, night.onset, night.wake).filter(
        (k) => stageOf(counts.seconds[k] as number) > 0 && (counts.values[k] as number) > 0,
      );
      expect(moving.length / ((night.wake - night.onset) * 0.9)).toBeLessThan(0.02);
      let sum = 0;
      let pairs = 0;
      for (const k of within(beats, night.inBedStart, night.inBedEnd)) {
        if (k === 0 || stageOf(beats.seconds[k] as number) <= 0 || stageOf(beats.seconds[k - 1] as number) <= 0)
          continue;
        sum += ((beats.values[k] as number) - (beats.values[k - 1] as number)) ** 2;
        pairs++;
      }
      expect(Math.sqrt(sum / pairs)).toBeCloseTo(night.rmssd, 9);
      expect(night.rmssd > 25 && night.rmssd < 70).toBe(true);
    }
  });

  it("stress episodes: 5-20 min, awake, away from workouts and walks, still, heart rate well above the baseline", () => {
    const hr = seriesOf(data, "HEART_RATE");
    const counts = seriesOf(data, "ACTIVITY_COUNT");
    const cadence = seriesOf(data, "ACTIVITY_CADENCE");
    data.truth.forEach((day, i) => {
      expect(day.stressEpisodes.length).toBeGreaterThanOrEqual(2);
      expect(day.stressEpisodes.length).toBeLessThanOrEqual(4);
      expect(day.stressMinutes).toBe(day.stressEpisodes.reduce((s, e) => s + (e.end - e.start) / 60, 0));
      const up = day.night?.inBedEnd ?? T0;
      const down = data.truth[i + 1]?.night?.inBedStart ?? T0 + i * DAY + 22.25 * 3600;
      for (const { start, end } of day.stressEpisodes) {
        expect((end - start) / 60 >= 5 && (end - start) / 60 <= 20).toBe(true);
        expect(start >= up + 3600 && end <= down).toBe(true);
        if (day.workout) expect(end + 900 <= day.workout.start || start >= day.workout.end + 1800).toBe(true);
        expect(within(counts, start, end).every((k) => counts.values[k] === 0)).toBe(true);
        expect(within(cadence, start - 300, end + 300).every((k) => cadence.values[k] === 0)).toBe(true);
        expect(mean(hr, start + 120, end) - mean(hr, start - 900, start - 300)).toBeGreaterThan(12);
      }
    });
  });

  it("workouts: a run with its session, cadence ≥ 140, the ACTIVITY_TYPE code, intense minutes from the heart rate", () => {
    const runs = syntheticDays({ ...OPTIONS, days: 10 });
    const hr = seriesOf(runs, "HEART_RATE");
    const cadence = seriesOf(runs, "ACTIVITY_CADENCE");
    const codes = seriesOf(runs, "ACTIVITY_TYPE");
    const workouts = runs.truth.flatMap((d) => (d.workout ? [{ ...d.workout, day: d }] : []));
    expect(workouts.length).toBeGreaterThanOrEqual(6);
    expect(runs.sessions).toEqual(
      workouts.map((w) => ({
        startDatetime: new Date(w.start * 1000).toISOString(),
        endDatetime: new Date(w.end * 1000).toISOString(),
        type: SYNTHETIC_ACTIVITY.running,
        info: { name: "Evening run", origin: 2 },
      })),
    );
    for (const w of workouts) {
      const minutes = (w.end - w.start) / 60;
      expect(minutes >= 40 && minutes <= 60).toBe(true);
      expect(within(cadence, w.start, w.end).every((k) => (cadence.values[k] as number) >= 140)).toBe(true);
      expect(within(codes, w.start, w.end).every((k) => codes.values[k] === w.type)).toBe(true);
      const rest = w.day.restingHeartRate;
      const threshold = rest + 0.6 * (runs.person.maxHeartRate - rest);
      let measured = 0;
      for (let t = w.start; t < w.end; t += 60) if (mean(hr, t, t + 60) >= threshold) measured++;
      expect(Math.abs(measured - w.day.intenseMinutes)).toBeLessThanOrEqual(2);
      expect(w.day.intenseMinutes).toBeLessThan(minutes);
      const steady = mean(hr, w.start + 600, w.end - 300);
      const reserve = runs.person.maxHeartRate - rest;
      expect(steady > rest + 0.65 * reserve && steady < rest + 0.9 * reserve).toBe(true);
    }
    // Walking elsewhere: 90-115 steps/min.
    const walking = within(codes, T0, T0 + 10 * DAY).filter((k) => codes.values[k] === SYNTHETIC_ACTIVITY.walking);
    expect(walking.length).toBeGreaterThan(10 * 1800);
    expect(walking.every((k) => (cadence.values[k] as number) >= 90 && (cadence.values[k] as number) <= 115)).toBe(
      true,
    );
    expect(runs.truth.filter((d) => !d.workout).every((d) => d.intenseMinutes === 0)).toBe(true);
  });
});

describe("synthetic data: gaps and activity modes", () => {
  it("gaps remove every sample inside them and change nothing else", () => {
    const gaps = [
      { from: T0 + 2 * 3600 + 17, to: T0 + 5 * 3600 },
      { from: T0 + DAY + 12 * 3600, to: T0 + DAY + 12 * 3600 + 45 },
    ];
    const gapped = syntheticDays({ ...OPTIONS, gaps });
    const inGap = (t: number) => gaps.some((g) => t >= g.from && t < g.to);
    for (const type of SYNTHETIC_TYPES) {
      const full = seriesOf(data, type);
      const cut = seriesOf(gapped, type);
      expect([...cut.seconds].some(inGap), type).toBe(false);
      expect(cut.seconds.length, type).toBeLessThan(full.seconds.length);
      if (type === "HEART_RATE_GRAPH" || type === "MOTION_GRAPH") continue; // a minute's mean loses the gap's seconds
      const kept = [...full.seconds.keys()].filter((k) => !inGap(full.seconds[k] as number));
      expect(kept.length, type).toBe(cut.seconds.length);
      const same = kept.every(
        (k, j) =>
          full.seconds[k] === cut.seconds[j] && full.values[k] === cut.values[j] && full.quality[k] === cut.quality[j],
      );
      expect(same, type).toBe(true);
    }
    expect(truthJson(gapped)).toBe(truthJson(data));
  });

  it("sends activity per second, per 30 s, per 60 s or only as motion, on the device's scale", () => {
    const day = { ...OPTIONS, days: 1 };
    const plain = syntheticDays(day);
    const perSecond = seriesOf(plain, "ACTIVITY_COUNT");
    expect(perSecond.seconds.length).toBe(DAY);
    for (const [activity, size] of [
      ["count-30s", 30],
      ["count-60s", 60],
    ] as const) {
      const counts = seriesOf(syntheticDays({ ...day, activity }), "ACTIVITY_COUNT");
      expect(counts.seconds.length).toBe(DAY / size);
      expect(counts.seconds.every((s, k) => s === T0 + size * k)).toBe(true);
      const sums = [...counts.seconds].map((s) =>
        within(perSecond, s, s + size).reduce((sum, k) => sum + (perSecond.values[k] as number), 0),
      );
      expect([...counts.values]).toEqual(sums);
    }
    const scaled = seriesOf(syntheticDays({ ...day, activityScale: 2.5 }), "ACTIVITY_COUNT");
    expect([...scaled.values]).toEqual([...perSecond.values].map((v) => Math.round(v * 2.5)));
    const motionOnly = syntheticDays({ ...day, activity: "motion-only" });
    expect(motionOnly.series.ACTIVITY_COUNT).toBeUndefined();
    const motion = seriesOf(motionOnly, "MOTION_GRAPH");
    expect(motion.seconds.length).toBe(DAY / 60);
    expect(sameSeries(motion, seriesOf(plain, "MOTION_GRAPH"))).toBe(true);
    // Motion follows the activity: the run's minutes move most.
    const run = plain.truth[0]?.workout;
    if (run) expect(mean(motion, run.start, run.end)).toBeGreaterThan(20 * mean(motion, T0 + 9 * 3600, T0 + 11 * 3600));
  });

  it("generates 31 days of every type at 1 Hz", () => {
    const month = syntheticDays({ startDay: "2025-01-01", days: 31, seed: 7 });
    expect(seriesOf(month, "HEART_RATE").seconds.length).toBe(31 * DAY);
    expect(month.truth.length).toBe(31);
    expect(month.truth.filter((d) => d.night).length).toBe(30);
  }, 180_000);
});
