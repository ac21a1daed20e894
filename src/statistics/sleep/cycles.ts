/**
 * SLEEP_CYCLES: NREM-REM cycles of the main sleep period, after the rules of Feinberg & Floyd (1979), adapted to
 * stages estimated from heart rate and motion:
 * - REM bouts less than 15 min apart join into one REM period; a REM period counts when it spans at least 5 min.
 * - A cycle runs from sleep onset (or the end of the previous cycle) to the end of the next REM period, when at least
 *   15 min of NREM sleep come first; a REM period after less NREM than that extends the previous cycle (or, before
 *   the first cycle has closed, is part of it).
 * - A cycle with no REM period (a "skipped" REM, common early in the night) closes after 120 min.
 * - What follows the last cycle is incomplete and not counted (Feinberg & Floyd analyse complete cycles).
 *
 * Feinberg I, Floyd TC. Systematic trends across the night in human sleep cycles. Psychophysiology
 * 1979;16(3):283-291.
 */
import { EPOCH_SECONDS, type StatisticResult } from "../epochs";
import { indexOf, type NightResult, nightInputs } from "./night";
import { EPOCHS_PER_MINUTE, isoOf, minutes, notEnough, round, STAGE_REM } from "./shared";
import { stagesShortfall } from "./stages";

export const SLEEP_CYCLES_KEYS = ["cycles", "cycleList", "meanCycleMinutes"] as const;

const REM_JOIN = 15 * EPOCHS_PER_MINUTE;
const REM_MIN = 5 * EPOCHS_PER_MINUTE;
const NREM_MIN = 15 * EPOCHS_PER_MINUTE;
const CYCLE_MAX = 120 * EPOCHS_PER_MINUTE;

/** Cycles as [start, end) epoch offsets into `stages`, for a sleep period [onset, end) of those offsets. */
export function cyclesOf(stages: Uint8Array, onset: number, end: number): Array<[number, number]> {
  const remPeriods: Array<[number, number]> = [];
  for (let j = onset; j < end; j++) {
    if (stages[j] !== STAGE_REM) continue;
    let k = j;
    while (k < end && stages[k] === STAGE_REM) k++;
    const last = remPeriods.at(-1);
    if (last && j - last[1] < REM_JOIN) last[1] = k;
    else remPeriods.push([j, k]);
    j = k - 1;
  }
  const cycles: Array<[number, number]> = [];
  let start = onset;
  for (const [remStart, remEnd] of remPeriods) {
    if (remEnd - remStart < REM_MIN) continue;
    while (remStart - start > CYCLE_MAX) {
      cycles.push([start, start + CYCLE_MAX]);
      start += CYCLE_MAX;
    }
    if (remStart - start < NREM_MIN) {
      const last = cycles.at(-1);
      if (last) {
        last[1] = remEnd;
        start = remEnd;
      }
      continue;
    }
    cycles.push([start, remEnd]);
    start = remEnd;
  }
  while (end - start > CYCLE_MAX) {
    cycles.push([start, start + CYCLE_MAX]);
    start += CYCLE_MAX;
  }
  return cycles;
}

export const CYCLE_METHOD =
  "Feinberg & Floyd 1979, adapted: a cycle ends with a REM period of >= 5 min after >= 15 min of NREM, or after 120 min without one";

export function sleepCycles(result: NightResult): StatisticResult {
  const metadata: Record<string, unknown> = { method: CYCLE_METHOD, ...nightInputs(result) };
  const shortfall = stagesShortfall(result);
  if (shortfall !== null || !result.night) return notEnough(SLEEP_CYCLES_KEYS, shortfall ?? "no night", metadata);
  const { night } = result;
  const from = indexOf(night, night.inBedStart);
  const cycles = cyclesOf(night.stages, indexOf(night, night.onset) - from, indexOf(night, night.wake) - from);
  const list = cycles.map(([s, e]) => ({
    start: isoOf(night.inBedStart + s * EPOCH_SECONDS),
    end: isoOf(night.inBedStart + e * EPOCH_SECONDS),
    minutes: minutes(e - s),
  }));
  const total = cycles.reduce((sum, [s, e]) => sum + (e - s), 0);
  return {
    data: {
      cycles: cycles.length,
      cycleList: list,
      meanCycleMinutes: cycles.length > 0 ? round(minutes(total) / cycles.length, 1) : null,
    },
    enoughData: true,
    metadata,
  };
}
