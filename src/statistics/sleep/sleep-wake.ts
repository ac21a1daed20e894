/**
 * Sleep/wake per 30-s epoch from wrist motion and heart rate: a logistic model over scale-free features
 * (features.ts), in the manner of Walch et al. (2019), who scored Apple Watch motion and heart rate against
 * polysomnography with logistic regression among others (epoch accuracy 0.90, wake specificity 0.60). The model is
 * fitted on real PSG-scored nights (model-coefficients.ts; `npm run fit:sleep`), with one set of weights for motion and
 * heart rate, one for motion alone and one for heart rate alone, each epoch scored by what it has. Walking (cadence)
 * and workouts are wake whatever the model says.
 *
 * - Walch O, Huang Y, Forger D, Goldstein C. Sleep stage prediction with raw acceleration and photoplethysmography
 *   heart rate data derived from a consumer wearable device. Sleep 2019;42(12):zsz180.
 * - Cole RJ, Kripke DF, Gruen W, Mullaney DJ, Gillin JC. Automatic sleep/wake identification from wrist activity.
 *   Sleep 1992;15(5):461-469 (the epoch-by-epoch approach and its rescoring, which the model's context windows
 *   replace).
 */
import type { EpochTable } from "../epochs";
import { type EpochFeatures, epochFeatures } from "./features";
import { columnsOf, probability, ROW, type SleepModel } from "./model";
import { SLEEP_MODEL } from "./model-coefficients";
import { NO_DATA, SLEEP, WAKE } from "./shared";

/** Steps at this cadence (steps/min) are walking: awake. */
const WALKING_CADENCE = 40;

export interface SleepScores {
  features: EpochFeatures;
  /** Probability of sleep per epoch; NaN where the epoch has neither motion nor heart rate. */
  probability: Float64Array;
  /** The threshold the epoch's probability was held against (by its inputs); NaN with no data. */
  threshold: Float64Array;
  /** 1 sleep, 0 wake, 2 no data. */
  codes: Uint8Array;
  /** 1 where the wearer is up whatever the model says: walking, a workout, or the heart rate of the day. */
  up: Uint8Array;
}

/** Runs of equal codes as [code, start, end) triples. */
export function runsOf(codes: Uint8Array): Array<[number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  let start = 0;
  for (let i = 1; i <= codes.length; i++) {
    if (i === codes.length || codes[i] !== codes[start]) {
      runs.push([codes[start] as number, start, i]);
      start = i;
    }
  }
  return runs;
}

/** Scores every epoch of a table with `model` (the fitted one unless a fit is being validated). */
export function scoreSleep(table: EpochTable, model: SleepModel = SLEEP_MODEL): SleepScores {
  const features = epochFeatures(table);
  const n = table.length;
  const p = new Float64Array(n).fill(Number.NaN);
  const threshold = new Float64Array(n).fill(Number.NaN);
  const codes = new Uint8Array(n).fill(NO_DATA);
  const up = new Uint8Array(n);
  const columns = {
    both: columnsOf(model.sleep.both),
    motion: columnsOf(model.sleep.motion),
    heart: columnsOf(model.sleep.heart),
  };
  for (let i = 0; i < n; i++) {
    up[i] =
      (table.cadence[i] as number) >= WALKING_CADENCE || table.workout[i] === 1 || features.heartRateAwake[i] === 1
        ? 1
        : 0;
    const m = features.hasMotion[i] === 1;
    const h = features.hasHeart[i] === 1;
    if (!m && !h) continue;
    const which = m && h ? "both" : m ? "motion" : "heart";
    p[i] = probability(model.sleep[which], columns[which], features.values, i * ROW);
    threshold[i] = model.threshold[which];
    codes[i] = up[i] === 0 && (p[i] as number) >= (threshold[i] as number) ? SLEEP : WAKE;
  }
  return { features, probability: p, threshold, codes, up };
}

/** Per-epoch sleep/wake over any table: 1 sleep, 0 wake, 2 no data (neither activity nor heart rate). */
export function classifySleepWake(table: EpochTable): Uint8Array {
  // Tables are never changed once built; a day's table is classified once however many windows read it.
  let states = classified.get(table);
  if (!states) {
    states = scoreSleep(table).codes;
    classified.set(table, states);
  }
  return states;
}

const classified = new WeakMap<EpochTable, Uint8Array>();
