import { describe, expect, it } from "vitest";
import {
  cyclesOf,
  findNight,
  type Night,
  SLEEP_CYCLES_KEYS,
  SLEEP_STAGES_KEYS,
  STAGE_DEEP,
  STAGE_LIGHT,
  STAGE_REM,
  STAGE_WAKE,
  sleepCycles,
  sleepDuration,
  sleepStages,
} from "../../../src/statistics/sleep";
import { planTable, plausibleNight, WINDOW } from "./tables";

const nightOf = (seed: number, heartRate = true): Night => {
  const result = findNight(planTable(plausibleNight({ seed, heartRate })), WINDOW);
  if (!result.night) throw new Error(result.reason);
  return result.night;
};
const epochsOf = (minutes: number) => minutes * 2;

describe("SLEEP_STAGES", () => {
  it.each([1, 2, 3, 4, 5])("gives adult proportions on a plausible night (seed %i)", (seed) => {
    const { data, enoughData, metadata } = sleepStages({ night: nightOf(seed) });
    expect(enoughData, String(metadata.reason)).toBe(true);
    const light = data.lightMinutes as number;
    const deep = data.deepMinutes as number;
    const rem = data.remMinutes as number;
    const sleep = light + deep + rem;
    const shares = `light ${light}, deep ${deep}, rem ${rem}`;
    expect(light / sleep, shares).toBeGreaterThanOrEqual(0.45);
    expect(light / sleep, shares).toBeLessThanOrEqual(0.65);
    expect(deep / sleep, shares).toBeGreaterThanOrEqual(0.12);
    expect(deep / sleep, shares).toBeLessThanOrEqual(0.28);
    expect(rem / sleep, shares).toBeGreaterThanOrEqual(0.15);
    expect(rem / sleep, shares).toBeLessThanOrEqual(0.35);
  });

  it("puts deep sleep early, and no REM in the first hour after onset", () => {
    const night = nightOf(1);
    const onset = (night.onset - night.inBedStart) / 30;
    const wake = (night.wake - night.inBedStart) / 30;
    const third = Math.floor((wake - onset) / 3);
    const deepIn = (from: number, to: number) => night.stages.subarray(from, to).filter((s) => s === STAGE_DEEP).length;
    expect(deepIn(onset, onset + third)).toBeGreaterThan(2 * deepIn(wake - third, wake));
    expect(night.stages.subarray(onset, onset + epochsOf(60)).includes(STAGE_REM)).toBe(false);
  });

  it("writes a hypnogram of one letter per epoch of time in bed that adds up to the minutes", () => {
    const night = nightOf(2);
    const { data } = sleepStages({ night });
    const hypnogram = data.hypnogram as { start: string; epochSeconds: number; stages: string };
    expect(hypnogram.start).toBe(new Date(night.inBedStart * 1000).toISOString());
    expect(hypnogram.epochSeconds).toBe(30);
    expect(hypnogram.stages).toMatch(/^W+[LDRW]+$/);
    expect(hypnogram.stages).toHaveLength((night.inBedEnd - night.inBedStart) / 30);
    const count = (letter: string) => hypnogram.stages.split("").filter((c) => c === letter).length / 2;
    expect([count("W"), count("L"), count("D"), count("R")]).toEqual([
      data.wakeMinutes,
      data.lightMinutes,
      data.deepMinutes,
      data.remMinutes,
    ]);
    const { data: duration } = sleepDuration({ night });
    expect(count("L") + count("D") + count("R")).toBe(duration.totalSleepMinutes);
  });

  it("needs heart rate: motion alone scores sleep as light and says stages are not known", () => {
    const night = nightOf(1, false);
    expect(new Set(night.stages)).toEqual(new Set([STAGE_WAKE, STAGE_LIGHT]));
    for (const result of [sleepStages({ night }), sleepCycles({ night })]) {
      expect(result.enoughData).toBe(false);
      expect(result.metadata.reason).toBe(
        "stages need heart rate in at least half of the sleep epochs, and this night has less",
      );
    }
    expect(Object.keys(sleepStages({ night }).data).sort()).toEqual([...SLEEP_STAGES_KEYS].sort());
    expect(Object.keys(sleepCycles({ night }).data).sort()).toEqual([...SLEEP_CYCLES_KEYS].sort());
  });
});

/** A stage array from [minutes, stage] parts. */
const hypnogram = (...parts: Array<[number, number]>) => {
  const out: number[] = [];
  for (const [minutes, stage] of parts) for (let k = 0; k < epochsOf(minutes); k++) out.push(stage);
  return Uint8Array.from(out);
};
const L = STAGE_LIGHT;
const D = STAGE_DEEP;
const R = STAGE_REM;
const W = STAGE_WAKE;
const minutesOf = (cycles: Array<[number, number]>) => cycles.map(([s, e]) => [s / 2, e / 2]);

describe("SLEEP_CYCLES", () => {
  it("ends a cycle with each REM period of at least 5 min", () => {
    const stages = hypnogram([10, W], [60, L], [20, D], [10, R], [70, L], [20, R], [30, L]);
    expect(minutesOf(cyclesOf(stages, epochsOf(10), stages.length))).toEqual([
      [10, 100],
      [100, 190],
    ]);
  });

  it("joins REM bouts under 15 min apart, ignores REM under 5 min, and drops the incomplete tail", () => {
    const stages = hypnogram([50, L], [3, R], [40, L], [4, R], [10, L], [4, R], [80, L]);
    // 3 min REM alone is too short; the 4-min bouts 10 min apart join into an 18-min REM period ending at 111 min.
    expect(minutesOf(cyclesOf(stages, 0, stages.length))).toEqual([[0, 111]]);
  });

  it("closes a cycle without REM after 120 min, and folds REM after under 15 min of NREM into the cycle before", () => {
    const stages = hypnogram([130, L], [10, R], [5, L], [10, R], [30, L]);
    // No REM for 130 min: the first cycle closes at 120. The two REM bouts 5 min apart are one REM period
    // (130-155 min) after only 10 min of NREM, so it extends that cycle to 155; the last 30 min are incomplete.
    expect(minutesOf(cyclesOf(stages, 0, stages.length))).toEqual([[0, 155]]);
  });

  it("counts 4 to 6 cycles of 70 to 110 min on a plausible night", () => {
    const { data, enoughData } = sleepCycles({ night: nightOf(3) });
    expect(enoughData).toBe(true);
    expect(data.cycles as number).toBeGreaterThanOrEqual(4);
    expect(data.cycles as number).toBeLessThanOrEqual(6);
    expect(data.meanCycleMinutes as number).toBeGreaterThanOrEqual(70);
    expect(data.meanCycleMinutes as number).toBeLessThanOrEqual(110);
    const list = data.cycleList as Array<{ start: string; end: string; minutes: number }>;
    expect(list).toHaveLength(data.cycles as number);
    for (let k = 1; k < list.length; k++) expect(list[k]?.start).toBe(list[k - 1]?.end);
    for (const c of list) expect(c.minutes).toBe((Date.parse(c.end) - Date.parse(c.start)) / 60_000);
  });
});
