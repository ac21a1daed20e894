import { describe, expect, it } from "vitest";
import type { SyntheticData, SyntheticSeries } from "../../../src/statistics/synthetic";
import {
  DAYS,
  type DayResults,
  dayGaps,
  dayStatistics,
  differences,
  type Recording,
  record,
  resampleLevel,
  smoothCounts,
  sumCounts,
  type Tolerances,
  withSeries,
} from "./resample";

/**
 * The day statistics do not depend on how the watch sends its data. Each synthetic day is sent once at the reference
 * rates (heart rate every second, activity counts every second) and again in another shape derived from that one
 * recording; the answers must agree within what the physiology and the readings allow. Ten days per seed: days 4 to
 * 10 are checked, with a stress baseline of 3 to 9 days (a new user's, still settling). The tolerances below are also
 * in docs/statistics.md, "Robust inputs". resample.ts `differences` says, with the figures, where a shape is off.
 */

/**
 * Tolerances, each from what the readings resolve rather than from what the current code happens to give:
 * - resting heart rate ± 2 bpm: the day-to-day variation of resting heart rate is larger, and the truth tests hold the
 *   1-Hz result to the same ± 2 bpm. Read once a minute a 5-min window holds 5 readings instead of 300, each ± 2 bpm,
 *   and the lowest of the day's windows then reads about 1 bpm lower (the noise's extreme).
 * - the stress upper limit ± 1.5 bpm: single readings carry their noise (± 2 bpm) into the spread the limit is built
 *   from, where 30-s means of 30 readings do not: a few tenths of a bpm higher, up to about 1 bpm when the baseline
 *   rests on a few days only. (Whole bpm alone would move it in steps of 1.5 bpm: see stress.test.ts.)
 * - stress minutes and episodes: a single reading is up to 2 bpm off the 30-s mean the reference compares with the
 *   limit (sensor noise), so a sparse stream answers as the reference would with its limit up to 2 bpm lower or
 *   higher (`limitShift`). Beyond that range, 1 min per episode (its start and end are each known to the reading
 *   interval) and one episode more or less (a run at the limit splits or joins).
 * - every episode whose peak is 5 bpm above the limit (beyond that reading noise, and the limit's own least margin)
 *   is found, starting within 2 min of the reference's (the truth tests' bound), and no such episode is invented.
 *   Where heart rate crosses the limit (an episode's start, the return below it), the reference with its limit
 *   moved by 2 bpm answers as validly: the start may match any of the three.
 * - recovery of those episodes ± 2 min around the reference's (limit moved included): it runs between two instants,
 *   the end of the peak's plateau and the return below the limit, and once a minute each is known to a minute.
 * - awake rest time ± 5 %, less what gaps hide: movement smoothed (sigma 50 s) or summed per minute moves the edges
 *   of each bout, and of the recovery after it, by up to a minute; the day has some 15 bouts in 16 h.
 * - vigorous and moderate minutes ± (5 % + 2 min): a bout's start and end are each known to the reading interval, and
 *   smoothed movement (sigma 50 s) moves a walk's edges by about as much.
 */
const TOLERANCES: Tolerances = {
  restingBpm: 2,
  limitBpm: 1.5,
  limitShift: 2,
  minutesPerEpisode: 1,
  countSlack: 1,
  startMinutes: 2,
  clearMargin: 5,
  recoveryMinutes: 2,
  restFraction: 0.05,
  intenseFraction: 0.05,
  intenseMinutes: 2,
};

const SEEDS = [1, 3, 5];

/** Without step cadence and workout sessions: movement is known only from the activity stream. */
const withoutSteps = (data: SyntheticData): SyntheticData => ({
  ...withSeries(data, { ACTIVITY_CADENCE: undefined }),
  sessions: [],
});

type Shape = (r: Recording, seed: number) => SyntheticData;
const stream = (r: Recording, type: string): SyntheticSeries => r.data.series[type] as SyntheticSeries;
/** Heart rate every `step` s with ± `jitter` s, with `gaps` gaps of 5-20 min a day (dayGaps, drawn from the seed). */
const heartRate =
  (step: number, jitter = 0, gaps = 0): Shape =>
  (r, seed) =>
    withSeries(r.data, {
      HEART_RATE: resampleLevel(stream(r, "HEART_RATE"), step, jitter, gaps ? dayGaps(r.data, gaps, seed) : []),
    });
const counts =
  (size: number, scale = 1): Shape =>
  (r) =>
    withSeries(r.data, { ACTIVITY_COUNT: sumCounts(stream(r, "ACTIVITY_COUNT"), size, scale) });
const smoothed: Shape = (r) => withSeries(r.data, { ACTIVITY_COUNT: smoothCounts(stream(r, "ACTIVITY_COUNT"), 50) });
const motionGraph: Shape = (r) => withSeries(r.data, { ACTIVITY_COUNT: undefined, MOTION_GRAPH: r.motionGraph });
const both =
  (a: Shape, b: Shape): Shape =>
  (r, seed) =>
    b({ ...r, data: a(r, seed) }, seed);

/** Name, shape, and the gaps a day in its heart rate (what the comparison must allow to be missing). */
const HEART_RATE_SHAPES: Array<[string, Shape, number]> = [
  ["heart rate every 5 s with ± 2 s jitter", heartRate(5, 2), 0],
  ["heart rate every 60 s", heartRate(60), 0],
  ["heart rate every 60 s with ± 2 s jitter", heartRate(60, 2), 0],
  ["heart rate every 60 s with three 5-20 min gaps a day", heartRate(60, 0, 3), 3],
];
const MOTION_SHAPES: Array<[string, Shape]> = [
  ["counts per 30 s", counts(30)],
  ["counts per 60 s", counts(60)],
  ["counts smoothed with a Gaussian of sigma 50 s", smoothed],
  ["counts times 0.01", counts(1, 0.01)],
  ["counts times 1000", counts(1, 1000)],
  ["MOTION_GRAPH (minute means, one decimal)", motionGraph],
  ["MOTION_GRAPH and heart rate every 60 s", both(heartRate(60), motionGraph)],
];

describe.each(SEEDS)("seed %i: the day statistics do not depend on how the data is sent", (seed) => {
  let recording: Recording | undefined;
  const cache = new Map<string, DayResults[]>();
  const get = (key: string, make: () => SyntheticData): DayResults[] => {
    let results = cache.get(key);
    if (!results) {
      results = dayStatistics(make());
      cache.set(key, results);
    }
    return results;
  };
  const rec = (): Recording => {
    recording ??= record(seed);
    return recording;
  };
  const reference = () => get("reference", () => rec().data);
  const referenceWithoutSteps = () => get("reference without steps", () => withoutSteps(rec().data));

  it("has enough data for every day statistic on every checked day at the reference rates", () => {
    for (const r of reference()) {
      for (const result of [r.resting, r.intense, r.stress.STRESS_DURATION]) {
        expect(result.enoughData, `${r.truth.day}: ${JSON.stringify(result.metadata)}`).toBe(true);
      }
    }
  });

  it.each(HEART_RATE_SHAPES)("%s", (name, shape, gapsPerDay) => {
    const gaps = gapsPerDay ? dayGaps(rec().data, gapsPerDay, seed) : [];
    const got = get(name, () => shape(rec(), seed));
    const found = reference().flatMap((want, i) => differences(want, got[i] as DayResults, TOLERANCES, gaps));
    expect(found).toEqual([]);
  });

  it.each(MOTION_SHAPES)("%s", (name, shape) => {
    const got = get(name, () => shape(rec(), seed));
    const found = reference().flatMap((want, i) => differences(want, got[i] as DayResults, TOLERANCES));
    expect(found).toEqual([]);
  });

  it.each(MOTION_SHAPES)("without step cadence or workouts: %s", (name, shape) => {
    const got = get(`without steps: ${name}`, () => withoutSteps(shape(rec(), seed)));
    const found = referenceWithoutSteps().flatMap((want, i) => differences(want, got[i] as DayResults, TOLERANCES));
    expect(found).toEqual([]);
  });
});

describe("heart rate once a minute", () => {
  it("over 16 waking hours is enough for stress, as every epoch is covered", () => {
    const r = record(1);
    const minute = dayStatistics(heartRate(60)(r, 1), 1)[0] as DayResults;
    const second = dayStatistics(r.data, 1)[0] as DayResults;
    const coverage = minute.stress.STRESS_DURATION.metadata.coverageHours as number;
    expect(minute.stress.STRESS_DURATION.enoughData, JSON.stringify(minute.stress.STRESS_DURATION.metadata)).toBe(true);
    expect(coverage).toBeGreaterThanOrEqual(15);
    expect(coverage).toBe(second.stress.STRESS_DURATION.metadata.coverageHours);
  });
});

describe("a day with too little heart rate is still not enough", () => {
  /** The last day's heart rate only over [from, to) hours UTC (the synthetic days are UTC days), every `step` s. */
  const partial = (step: number, from: number, to: number) => {
    const r = record(1);
    const midnight = Date.parse("2025-03-10T00:00:00Z") / 1000;
    const gaps = [
      { from: midnight, to: midnight + from * 3600 },
      { from: midnight + to * 3600, to: midnight + 86_400 },
    ];
    const data = withSeries(r.data, { HEART_RATE: resampleLevel(stream(r, "HEART_RATE"), step, 0, gaps) });
    expect(data.truth.length).toBe(DAYS);
    return dayStatistics(data, 1)[0] as DayResults;
  };

  it.each([1, 60])("6 h of heart rate sent every %i s: no stress, no intense activity", (step) => {
    const day = partial(step, 9, 15);
    for (const type of ["STRESS_DURATION", "STRESS_FREQUENCY", "STRESS_RECOVERY"] as const) {
      expect(day.stress[type].enoughData, type).toBe(false);
      expect(day.stress[type].metadata.reason).toMatch(/^6 h of awake heart rate with activity \(8 h needed\)/);
    }
    expect(day.intense.enoughData).toBe(false);
    expect(day.intense.metadata.reason).toMatch(/^6 h of heart rate in the day \(8 h needed\)/);
  });

  it.each([1, 60])("3 h of heart rate sent every %i s: no daytime resting heart rate", (step) => {
    const day = partial(step, 9, 12);
    expect(day.resting.enoughData).toBe(false);
    expect(day.resting.metadata.reason).toMatch(/3 h of awake heart rate \(4 h needed\)/);
  });
});
