/**
 * SLEEP_STAGES: minutes of wake, light, deep and REM in the main sleep period, and its hypnogram (one letter per
 * 30-s epoch). The method is in staging.ts; it needs heart rate in at least half the sleep epochs.
 */
import { EPOCH_SECONDS, type StatisticResult } from "../epochs";
import { indexOf, type NightResult, nightInputs, nightShortfall } from "./night";
import { isoOf, minutes, notEnough, round, STAGE_DEEP, STAGE_LIGHT, STAGE_REM, STAGE_WAKE } from "./shared";
import { stageable } from "./staging";

export const SLEEP_STAGES_KEYS = ["wakeMinutes", "lightMinutes", "deepMinutes", "remMinutes", "hypnogram"] as const;

export const STAGE_METHOD =
  "logistic models over heart-rate and motion features and the hour of the night, fitted on PSG-scored nights: REM and deep minutes from their shares by hour since onset, placed on the most probable epochs; light = the rest";

const LETTERS = ["W", "L", "D", "R"] as const;

/** Why the stages of a night cannot be reported, or null. */
export function stagesShortfall(result: NightResult): string | null {
  const shortfall = nightShortfall(result);
  if (shortfall !== null || !result.night) return shortfall ?? "no night";
  const { night } = result;
  if (!stageable(night.table, night.sleepWake, indexOf(night, night.onset), indexOf(night, night.wake))) {
    return "stages need heart rate in at least half of the sleep epochs, and this night has less";
  }
  return null;
}

export function sleepStages(result: NightResult): StatisticResult {
  const metadata: Record<string, unknown> = { method: STAGE_METHOD, ...nightInputs(result) };
  const shortfall = stagesShortfall(result);
  if (shortfall !== null || !result.night) return notEnough(SLEEP_STAGES_KEYS, shortfall ?? "no night", metadata);
  const { stages, inBedStart } = result.night;
  const counts = [0, 0, 0, 0];
  let letters = "";
  for (const s of stages) {
    counts[s] = (counts[s] as number) + 1;
    letters += LETTERS[s] ?? "W";
  }
  const sleep = (counts[STAGE_LIGHT] as number) + (counts[STAGE_DEEP] as number) + (counts[STAGE_REM] as number);
  const share = (code: number): number | null => (sleep > 0 ? round((counts[code] as number) / sleep, 3) : null);
  return {
    data: {
      wakeMinutes: minutes(counts[STAGE_WAKE] as number),
      lightMinutes: minutes(counts[STAGE_LIGHT] as number),
      deepMinutes: minutes(counts[STAGE_DEEP] as number),
      remMinutes: minutes(counts[STAGE_REM] as number),
      hypnogram: { start: isoOf(inBedStart), epochSeconds: EPOCH_SECONDS, stages: letters },
    },
    enoughData: true,
    metadata: {
      ...metadata,
      fractionOfSleep: { light: share(STAGE_LIGHT), deep: share(STAGE_DEEP), rem: share(STAGE_REM) },
    },
  };
}
