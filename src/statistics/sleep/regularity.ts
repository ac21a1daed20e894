/**
 * SLEEP_REGULARITY: the Sleep Regularity Index (Phillips et al. 2017) as GGIR computes it per day pair
 * (CalcSleepRegularityIndex, wadpac/GGIR): for two consecutive local days, the 30-s epochs at the same index from
 * midnight are compared where both are valid; SRI = 200 × (fraction of those epochs in the same state) − 100, from
 * −100 (reversed) through 0 (random) to 100 (identical days). As in GGIR:
 * - a 25-h day (DST end) is cut to its first 24 h, and a 23-h day shortens the other day of the pair to 23 h;
 * - the pair's valid fraction is the valid epoch pairs over 2880 (24 h), and pairs below 2/3 (GGIR's default of
 *   16 h, includenightcrit = 16) are skipped, as are days valid for less than 2/3 of their own length;
 * - the index over several pairs is their mean weighted by valid fraction (GGIR part 6).
 * We report the index over the 7 day pairs ending on the reported day (8 days), and need at least 5 valid pairs
 * (Phillips et al. 2017 computed the SRI over a week; Windred et al. 2021 allowed gaps).
 *
 * - Phillips AJK, Clerx WM, O'Brien CS, et al. Irregular sleep/wake patterns are associated with poorer academic
 *   performance and delayed circadian and sleep/wake timing. Sci Rep 2017;7:3216.
 * - Windred DP, Jones SE, Russell A, et al. Objective assessment of sleep regularity in 60 000 UK Biobank
 *   participants using an open-source package. Sleep 2021;44(12):zsab254.
 * - van Hees VT, et al. GGIR, R package (github.com/wadpac/GGIR), CalcSleepRegularityIndex and the vignette
 *   "Sleep Regularity Index".
 */
import type { StatisticResult } from "../epochs";
import { isoOf, NO_DATA, notEnough, round } from "./shared";

export const SLEEP_REGULARITY_KEYS = ["sri", "dayPairs", "fractionValid", "pairs"] as const;
/** Day pairs looked at: the 7 ending on the reported day. */
export const SRI_DAY_PAIRS = 7;
/** Valid day pairs needed among them. */
export const SRI_MIN_DAY_PAIRS = 5;
/** GGIR's default: 16 h of 24 valid. */
export const SRI_MIN_FRACTION_VALID = 16 / 24;
const EPOCHS_PER_DAY = 2880;
export const SRI_METHOD =
  "Sleep Regularity Index per day pair as GGIR CalcSleepRegularityIndex (Phillips et al. 2017), weighted mean over valid pairs";

export interface DayPairSri {
  /** ISO date-time of the first day's local midnight. */
  date: string;
  sri: number | null;
  fractionValid: number;
  used: boolean;
}

const validFraction = (v: Uint8Array): number => {
  let valid = 0;
  for (const s of v) if (s !== NO_DATA) valid++;
  return v.length > 0 ? valid / v.length : 0;
};

/** The SRI of one day pair, GGIR's way; null sri when no epoch pair is valid. */
export function dayPairSri(a: Uint8Array, b: Uint8Array): { sri: number | null; fractionValid: number } {
  const n = Math.min(a.length, b.length, EPOCHS_PER_DAY);
  let valid = 0;
  let same = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === NO_DATA || y === NO_DATA) continue;
    valid++;
    if (x === y) same++;
  }
  return { sri: valid > 0 ? -100 + (200 * same) / valid : null, fractionValid: valid / EPOCHS_PER_DAY };
}

/**
 * Days oldest to newest, each a local calendar day's 24-h sleep/wake vector from classifySleepWake on that day's
 * table (start = Unix s of local midnight; 2760/2880/3000 epochs on DST days). The last entry is the day reported.
 */
export function sleepRegularity(days: Array<{ start: number; sleepWake: Uint8Array }>): StatisticResult {
  const recent = days.slice(-(SRI_DAY_PAIRS + 1));
  const pairs: DayPairSri[] = [];
  let weighted = 0;
  let weights = 0;
  for (let d = 1; d < recent.length; d++) {
    const a = recent[d - 1] as { start: number; sleepWake: Uint8Array };
    const b = recent[d] as { start: number; sleepWake: Uint8Array };
    const gap = b.start - a.start;
    // Consecutive local days are 23 to 25 h apart; a missing day leaves no pair.
    if (gap < 23 * 3600 || gap > 25 * 3600) continue;
    const { sri, fractionValid } = dayPairSri(a.sleepWake, b.sleepWake);
    const used =
      sri !== null &&
      fractionValid >= SRI_MIN_FRACTION_VALID &&
      validFraction(a.sleepWake) >= SRI_MIN_FRACTION_VALID &&
      validFraction(b.sleepWake) >= SRI_MIN_FRACTION_VALID;
    if (used) {
      // Weighted by the valid fraction, as GGIR part 6 aggregates day pairs.
      weighted += (sri as number) * fractionValid;
      weights += fractionValid;
    }
    pairs.push({
      date: isoOf(a.start),
      sri: sri === null ? null : round(sri, 1),
      fractionValid: round(fractionValid, 4),
      used,
    });
  }
  const metadata: Record<string, unknown> = {
    method: SRI_METHOD,
    dayPairsConsidered: SRI_DAY_PAIRS,
    minimumDayPairs: SRI_MIN_DAY_PAIRS,
    minimumFractionValid: round(SRI_MIN_FRACTION_VALID, 4),
  };
  const used = pairs.filter((p) => p.used);
  if (used.length < SRI_MIN_DAY_PAIRS) {
    return notEnough(
      SLEEP_REGULARITY_KEYS,
      `the Sleep Regularity Index needs ${SRI_MIN_DAY_PAIRS} of the last ${SRI_DAY_PAIRS} day pairs with at least 16 h of valid data in both days; ${used.length} have it`,
      metadata,
    );
  }
  return {
    data: {
      sri: round(weighted / weights, 1),
      dayPairs: used.length,
      fractionValid: round(weights / used.length, 3),
      pairs,
    },
    enoughData: true,
    metadata,
  };
}
