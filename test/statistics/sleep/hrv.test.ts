import { describe, expect, it } from "vitest";
import { buildEpochs } from "../../../src/statistics/epochs";
import { findNight, MIN_SUCCESSIVE_DIFFERENCES, SLEEP, sleepHrv } from "../../../src/statistics/sleep";
import {
  at,
  PLAUSIBLE_ONSET,
  PLAUSIBLE_WAKE,
  planTable,
  plausibleNight,
  secondsOf,
  WINDOW,
  WINDOW_START,
} from "./tables";

/** The plausible night with one beat a second: RR alternating `a`, `b` ms in sleep, `wakeA`, `wakeB` before it. */
function nightWithBeats(a: number, b: number, wakeA: number, wakeB: number) {
  const table = planTable(plausibleNight());
  const seconds: number[] = [];
  const values: number[] = [];
  for (let t = secondsOf(at(22)); t < secondsOf(at(32)); t++) {
    const asleep = t >= secondsOf(PLAUSIBLE_ONSET) && t < secondsOf(PLAUSIBLE_WAKE);
    const even = (t - WINDOW_START) % 2 === 0;
    seconds.push(t);
    values.push(asleep ? (even ? a : b) : even ? wakeA : wakeB);
  }
  const beats = buildEpochs({
    start: table.start,
    end: secondsOf(table.length),
    series: { HEART_BEAT: { seconds, values, quality: values.map(() => 4) } },
    sessions: [],
  });
  table.rrSquaredDiffSum = beats.rrSquaredDiffSum;
  table.rrDiffCount = beats.rrDiffCount;
  table.rrMean = beats.rrMean;
  return table;
}

describe("SLEEP_HRV", () => {
  it("is the RMSSD of the RR intervals of sleep epochs, exactly", () => {
    // Every successive difference in sleep is ±16 ms: RMSSD 16. Wake before sleep alternates ±100 ms and is left out.
    const table = nightWithBeats(1000, 1016, 900, 1000);
    const result = findNight(table, WINDOW);
    const { data, enoughData, metadata } = sleepHrv(result);
    expect(enoughData, String(metadata.reason)).toBe(true);
    // Exactly the RMSSD of the epochs the night scores sleep between onset and wake (its bounds may sit a few
    // minutes off the plan, and the wake beats of an epoch scored sleep then count)...
    if (!result.night) throw new Error(result.reason);
    const { night } = result;
    let squares = 0;
    let count = 0;
    for (let i = (night.onset - table.start) / 30; i < (night.wake - table.start) / 30; i++) {
      if (night.sleepWake[i] !== SLEEP) continue;
      squares += table.rrSquaredDiffSum[i] as number;
      count += table.rrDiffCount[i] as number;
    }
    expect(data.rmssd).toBe(Math.round(Math.sqrt(squares / count) * 10) / 10);
    // ...which is the planned sleep's 16 ms to within 2 ms.
    expect(Math.abs((data.rmssd as number) - 16)).toBeLessThanOrEqual(2);
    expect(data.meanRr).toBeCloseTo(1008, 0);
    expect(data.meanHeartRate).toBeGreaterThan(50);
    expect(data.meanHeartRate).toBeLessThan(62);
    // One difference per second of sleep, less the boundaries of each epoch's first beat.
    expect(data.successiveDifferences as number).toBeGreaterThan(0.95 * (PLAUSIBLE_WAKE - PLAUSIBLE_ONSET) * 30);
  });

  it("counts only epochs scored sleep: wake inside the period is left out", () => {
    const table = nightWithBeats(1000, 1016, 900, 1000);
    const result = findNight(table, WINDOW);
    if (!result.night) throw new Error(result.reason);
    const sleeping = result.night.sleepWake;
    // A wake epoch inside the period with a huge difference must not move RMSSD.
    const i = at(26);
    expect(sleeping[i]).toBe(SLEEP);
    const before = sleepHrv(result).data.rmssd;
    sleeping[i] = 0;
    table.rrSquaredDiffSum[i] = 1e9;
    expect(sleepHrv(result).data.rmssd).toBe(before);
    sleeping[i] = SLEEP;
    expect(sleepHrv(result).data.rmssd).toBeGreaterThan(100);
  });

  it(`needs ${MIN_SUCCESSIVE_DIFFERENCES} successive differences, and keeps its keys without them`, () => {
    const table = planTable(plausibleNight());
    const i = at(26);
    table.rrSquaredDiffSum[i] = 144 * (MIN_SUCCESSIVE_DIFFERENCES - 1);
    table.rrDiffCount[i] = MIN_SUCCESSIVE_DIFFERENCES - 1;
    table.rrMean[i] = 1000;
    const few = sleepHrv(findNight(table, WINDOW));
    expect(few.enoughData).toBe(false);
    expect(few.data).toEqual({ rmssd: null, successiveDifferences: null, meanRr: null, meanHeartRate: null });
    expect(few.metadata.reason).toBe(
      "RMSSD needs at least 300 successive RR differences during sleep; 299 were recorded",
    );
    table.rrSquaredDiffSum[i] = 144 * MIN_SUCCESSIVE_DIFFERENCES;
    table.rrDiffCount[i] = MIN_SUCCESSIVE_DIFFERENCES;
    const enough = sleepHrv(findNight(table, WINDOW));
    expect(enough.enoughData).toBe(true);
    expect(enough.data).toMatchObject({ rmssd: 12, successiveDifferences: 300, meanRr: 1000 });
  });
});
