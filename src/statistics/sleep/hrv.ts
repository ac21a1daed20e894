/**
 * SLEEP_HRV: RMSSD, the root mean square of successive RR-interval differences, over the sleep epochs of the main
 * sleep period (Task Force of the European Society of Cardiology and the North American Society of Pacing and
 * Electrophysiology. Heart rate variability: standards of measurement, physiological interpretation and clinical use.
 * Circulation 1996;93(5):1043-1065). The epoch table keeps, per epoch, the sum of squared successive differences of
 * artefact-free beats and their count, so RMSSD over any set of epochs is sqrt(sum / count).
 * Enough data: at least 300 successive differences (about 5 min of beats, the Task Force's short-term recording).
 */
import type { StatisticResult } from "../epochs";
import { indexOf, type NightResult, nightInputs, nightShortfall } from "./night";
import { notEnough, round, SLEEP } from "./shared";

export const SLEEP_HRV_KEYS = ["rmssd", "successiveDifferences", "meanRr", "meanHeartRate"] as const;
export const MIN_SUCCESSIVE_DIFFERENCES = 300;
export const HRV_METHOD = "RMSSD of RR intervals during sleep epochs (Task Force ESC/NASPE 1996)";

export function sleepHrv(result: NightResult): StatisticResult {
  const metadata: Record<string, unknown> = { method: HRV_METHOD, ...nightInputs(result) };
  const shortfall = nightShortfall(result);
  if (shortfall !== null || !result.night) return notEnough(SLEEP_HRV_KEYS, shortfall ?? "no night", metadata);
  const { night } = result;
  const { table } = night;
  let squares = 0;
  let count = 0;
  let rrSum = 0;
  let rrWeight = 0;
  let hrSum = 0;
  let hrCount = 0;
  for (let i = indexOf(night, night.onset); i < indexOf(night, night.wake); i++) {
    if (night.sleepWake[i] !== SLEEP) continue;
    const d = table.rrDiffCount[i] as number;
    squares += table.rrSquaredDiffSum[i] as number;
    count += d;
    const rr = table.rrMean[i] as number;
    if (!Number.isNaN(rr) && d > 0) {
      rrSum += rr * d;
      rrWeight += d;
    }
    const hr = table.heartRate[i] as number;
    if (!Number.isNaN(hr)) {
      hrSum += hr;
      hrCount++;
    }
  }
  metadata.successiveDifferences = count;
  if (count < MIN_SUCCESSIVE_DIFFERENCES) {
    return notEnough(
      SLEEP_HRV_KEYS,
      `RMSSD needs at least ${MIN_SUCCESSIVE_DIFFERENCES} successive RR differences during sleep; ${count} were recorded`,
      metadata,
    );
  }
  return {
    data: {
      rmssd: round(Math.sqrt(squares / count), 1),
      successiveDifferences: count,
      meanRr: rrWeight > 0 ? round(rrSum / rrWeight, 1) : null,
      meanHeartRate: hrCount > 0 ? round(hrSum / hrCount, 1) : null,
    },
    enoughData: true,
    metadata,
  };
}
