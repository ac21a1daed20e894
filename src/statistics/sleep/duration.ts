/**
 * SLEEP_DURATION: total sleep, onset, wake, time in bed, efficiency, latency and wake after sleep onset of the main
 * sleep period, as actigraphy reports them (Cole et al. 1992; te Lindert & Van Someren 2013). Epochs without data
 * inside the period count as the stage of the nearest scored epoch (see staging.ts).
 */
import type { StatisticResult } from "../epochs";
import { indexOf, type NightResult, nightInputs, nightShortfall } from "./night";
import { isoOf, minutes, notEnough, round, STAGE_WAKE } from "./shared";

export const SLEEP_DURATION_KEYS = [
  "totalSleepMinutes",
  "sleepOnset",
  "wakeTime",
  "timeInBedMinutes",
  "efficiency",
  "sleepLatencyMinutes",
  "wakeAfterSleepOnsetMinutes",
  "inBedStart",
  "inBedEnd",
] as const;

export const SLEEP_METHOD =
  "sleep/wake per 30-s epoch: logistic models over scale-free motion and heart-rate features (Walch et al. 2019), fitted on PSG-scored nights; onset and wake as persistent sleep";

export function sleepDuration(result: NightResult): StatisticResult {
  const metadata: Record<string, unknown> = {
    method: SLEEP_METHOD,
    ...nightInputs(result),
  };
  const shortfall = nightShortfall(result);
  if (shortfall !== null || !result.night) return notEnough(SLEEP_DURATION_KEYS, shortfall ?? "no night", metadata);
  const { night } = result;
  const from = indexOf(night, night.inBedStart);
  const onset = indexOf(night, night.onset) - from;
  const wake = indexOf(night, night.wake) - from;
  let sleep = 0;
  let waso = 0;
  for (let j = 0; j < night.stages.length; j++) {
    if (night.stages[j] !== STAGE_WAKE) sleep++;
    else if (j >= onset && j < wake) waso++;
  }
  const inBed = night.stages.length;
  return {
    data: {
      totalSleepMinutes: minutes(sleep),
      sleepOnset: isoOf(night.onset),
      wakeTime: isoOf(night.wake),
      timeInBedMinutes: minutes(inBed),
      efficiency: round(sleep / inBed, 3),
      sleepLatencyMinutes: minutes(onset),
      wakeAfterSleepOnsetMinutes: minutes(waso),
      inBedStart: isoOf(night.inBedStart),
      inBedEnd: isoOf(night.inBedEnd),
    },
    enoughData: true,
    metadata,
  };
}
