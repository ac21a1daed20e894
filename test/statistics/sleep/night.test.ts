import { describe, expect, it } from "vitest";
import type { StatisticResult } from "../../../src/statistics/epochs";
import {
  findNight,
  type NightResult,
  SLEEP_CYCLES_KEYS,
  SLEEP_DURATION_KEYS,
  SLEEP_HRV_KEYS,
  SLEEP_STAGES_KEYS,
  sleepCycles,
  sleepDuration,
  sleepHrv,
  sleepStages,
} from "../../../src/statistics/sleep";
import {
  at,
  blankTable,
  cycles,
  PLAUSIBLE_ONSET,
  planTable,
  plausibleNight,
  type State,
  secondsOf,
  WINDOW,
  WINDOW_START,
} from "./tables";

const iso = (epoch: number) => new Date(secondsOf(epoch) * 1000).toISOString();
/**
 * A reported time within 15 min of an epoch: the fitted model reads windows of up to 30 min and onset is persistent
 * sleep, so it places the bounds of these hand-built bouts a few minutes off (on PSG nights, 6 min in the median; here
 * up to 12 min, as the bouts go from walking about straight to sleep and back). Which bout is picked is what these
 * tests check; 15 min is far below the hours between the bouts.
 */
const near = (value: unknown, epoch: number) => {
  expect(
    Math.abs(Date.parse(String(value)) / 1000 - secondsOf(epoch)),
    `${String(value)} vs ${iso(epoch)}`,
  ).toBeLessThanOrEqual(900);
};
const statistics: Array<[string, (r: NightResult) => StatisticResult, readonly string[]]> = [
  ["SLEEP_DURATION", sleepDuration, SLEEP_DURATION_KEYS],
  ["SLEEP_STAGES", sleepStages, SLEEP_STAGES_KEYS],
  ["SLEEP_CYCLES", sleepCycles, SLEEP_CYCLES_KEYS],
  ["SLEEP_HRV", sleepHrv, SLEEP_HRV_KEYS],
];

/** 4 h of night sleep from 02:00 to 06:00, and another bout `nap` (states) elsewhere. */
function nightAndNap(nap: Array<[number, number, State]>) {
  return planTable({
    states: [[at(12), at(26), "up"], [at(26), at(30), "light"], [at(30), at(42), "up"], ...nap],
  });
}

describe("findNight", () => {
  it("picks the longest period of sleep that ends in the window: the night over a nap", () => {
    const table = nightAndNap([[at(39), at(40, 30), "light"]]);
    const { data } = sleepDuration(findNight(table, WINDOW));
    near(data.sleepOnset, at(26));
    near(data.wakeTime, at(30));
  });

  it("picks the nap when it is the longest period ending in the window", () => {
    const table = nightAndNap([[at(34), at(38, 30), "light"]]);
    const { data } = sleepDuration(findNight(table, WINDOW));
    near(data.sleepOnset, at(34));
    near(data.wakeTime, at(38, 30));
  });

  it("ignores a longer sleep that ends before the window (it belongs to the previous day)", () => {
    const table = nightAndNap([[at(12), at(17, 30), "light"]]);
    const result = findNight(table, WINDOW);
    near(sleepDuration(result).data.sleepOnset, at(26));
    const early = findNight(table, { endsFrom: WINDOW_START, endsBefore: secondsOf(at(18)) });
    near(sleepDuration(early).data.wakeTime, at(17, 30));
  });

  it("joins bouts across an hour of wake, not across longer", () => {
    const sleep = (from: number, to: number): [number, number, State] => [from, to, "light"];
    const short = planTable({
      states: [sleep(at(23), at(26)), [at(26), at(26, 50), "wake"], sleep(at(26, 50), at(30))],
    });
    near(sleepDuration(findNight(short, WINDOW)).data.sleepOnset, at(23));
    const long = planTable({ states: [sleep(at(23), at(24)), [at(24), at(26), "wake"], sleep(at(26), at(30))] });
    near(sleepDuration(findNight(long, WINDOW)).data.sleepOnset, at(26));
  });

  it("leaves dozing before bed out of the night", () => {
    // 40 min of still rest at 21:00 looks like sleep; 30 min up and about, then the night from 22:10.
    const night = cycles(at(22, 10));
    const end = (night.at(-1) as [number, number, State])[1];
    const table = planTable({
      states: [
        [at(12), at(21), "up"],
        [at(21), at(21, 40), "light"],
        [at(21, 40), at(22, 10), "wake"],
        ...night,
        [end, at(42), "up"],
      ],
    });
    // Joined across 30 min of wake (under the hour), the period would start at 21:00.
    near(sleepDuration(findNight(table, WINDOW)).data.sleepOnset, at(22, 10));
  });

  it("lets motion lead: heart rate alone before the motion starts does not start the night", () => {
    // Heart rate from noon, at the sleeping level from 21:40; motion only from lights-out at 22:40 (a watch whose
    // motion stream starts late, as in the PSG nights, where heart rate ran an hour before it).
    const plan = plausibleNight();
    const table = planTable({
      states: [[at(21, 40), at(22, 40), "light"], [at(22, 40), at(23, 15), "bed"], ...plan.states.slice(2)],
    });
    table.activity.fill(Number.NaN, 0, at(22, 40));
    const { data } = sleepDuration(findNight(table, WINDOW));
    near(data.sleepOnset, PLAUSIBLE_ONSET);
    expect(Date.parse(String(data.sleepOnset)) / 1000).toBeGreaterThanOrEqual(secondsOf(at(22, 40)));
  });

  it("says why when there is no data or no sleep", () => {
    const empty = findNight(blankTable(WINDOW_START, 3600), WINDOW);
    expect(empty).toEqual({ night: null, reason: "no activity or heart rate was recorded" });
    const awake = findNight(planTable({ states: [[at(12), at(42), "up"]] }), WINDOW);
    expect(awake.night).toBeNull();
    expect(awake.night === null && awake.reason).toMatch(/^no sleep was found that ends between/);
  });

  it("reports the stages of every epoch of time in bed", () => {
    const result = findNight(planTable(plausibleNight()), WINDOW);
    if (!result.night) throw new Error(result.reason);
    const { night } = result;
    expect(night.stages).toHaveLength((night.inBedEnd - night.inBedStart) / 30);
    expect(night.sleepWake).toHaveLength(night.table.length);
    expect(night.onset).toBeGreaterThanOrEqual(night.inBedStart);
    expect(night.wake).toBeLessThanOrEqual(night.inBedEnd);
    expect(night.coverage).toBe(1);
  });
});

describe("enough data", () => {
  it("is never enough with 2 h of data, and says why in plain words, with null data under stable keys", () => {
    const two = planTable({ states: [[at(27), at(29), "light"]] });
    const result = findNight(two, WINDOW);
    for (const [type, statistic, keys] of statistics) {
      const { data, enoughData, metadata } = statistic(result);
      expect(enoughData, type).toBe(false);
      expect(Object.keys(data).sort(), type).toEqual([...keys].sort());
      expect(
        Object.values(data).every((v) => v === null),
        type,
      ).toBe(true);
      expect(metadata.reason, type).toBe("the main sleep period found is 2.0 h long; at least 3 h are needed");
    }
  });

  it("is not enough when less than 80 % of the period has data", () => {
    const table = planTable({
      states: [
        [at(23), at(24), "light"],
        [at(26), at(28), "light"],
      ],
    });
    const result = findNight(table, WINDOW);
    const { enoughData, metadata } = sleepDuration(result);
    expect(enoughData).toBe(false);
    expect(metadata.reason).toBe("only 60 % of the sleep period has data; at least 80 % is needed");
    expect(metadata.coverage).toBeCloseTo(0.6, 3);
  });

  it("keeps the same keys when there is enough data", () => {
    const result = findNight(planTable(plausibleNight()), WINDOW);
    for (const [type, statistic, keys] of statistics.slice(0, 3)) {
      const { data, enoughData, metadata } = statistic(result);
      expect(enoughData, `${type}: ${String(metadata.reason)}`).toBe(true);
      expect(Object.keys(data).sort(), type).toEqual([...keys].sort());
      expect(metadata.method, type).toEqual(expect.any(String));
    }
    // No beats in this table: HRV says so, and still keeps its keys.
    const hrv = sleepHrv(result);
    expect(hrv.enoughData).toBe(false);
    expect(Object.keys(hrv.data).sort()).toEqual([...SLEEP_HRV_KEYS].sort());
    expect(hrv.metadata.reason).toMatch(/at least 300 successive RR differences/);
  });
});
