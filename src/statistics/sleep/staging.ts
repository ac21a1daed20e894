/**
 * Sleep stages from heart rate and motion: two logistic models fitted on PSG-scored nights (model.ts), not a
 * polysomnograph. The physiology they read:
 * - REM: heart rate above its own 60-min moving median and irregular (Trinder et al. 2001), little movement; more
 *   towards morning (Feinberg & Floyd 1979). Never in the first 45 min after onset.
 * - Deep sleep (N3): heart rate at its lowest and steadiest, no movement; concentrated early in the night.
 * - Light (N1/N2): the rest of sleep. Wake: the wake epochs of the period (sleep/wake classification).
 * How much of a night is REM and how much deep comes from the shares fitted per hour since onset (REM grows and deep
 * shrinks across the night); the models choose which epochs: the ones most probably REM, then deep, after averaging
 * each probability over ±6 min (stages last minutes). The fit showed why: a per-epoch threshold left REM minutes
 * wrong by 43-60 min on nights it was not fitted on, the shares by 20-25 min. Without heart rate in half the sleep
 * epochs, sleep stays light (stages cannot be told from motion alone). RR intervals (HEART_BEAT) are not an input:
 * the PSG nights have none to fit them on.
 *
 * - Feinberg I, Floyd TC. Systematic trends across the night in human sleep cycles. Psychophysiology
 *   1979;16(3):283-291.
 * - Trinder J, Kleiman J, Carrington M, et al. Autonomic activity during human sleep as a function of time and sleep
 *   stage. J Sleep Res 2001;10(4):253-264.
 * - Walch O, et al. Sleep 2019;42(12):zsz180 (heart-rate variability over a ~10-min window as a stage feature).
 */
import type { EpochTable } from "../epochs";
import { FEATURE_COUNT, Windows } from "./features";
import { columnsOf, probability, ROW, type SleepModel, STAGE_ROW } from "./model";
import { SLEEP, STAGE_DEEP, STAGE_LIGHT, STAGE_REM, STAGE_WAKE, WAKE } from "./shared";
import type { SleepScores } from "./sleep-wake";

const UNSET = 255;
/** No REM in the first 45 min after onset (90 epochs): REM latency in adults is 70-120 min, rarely under 45. */
const REM_LATENCY_EPOCHS = 90;
/** Stage probabilities are averaged over ±this many epochs (±6 min): stages last minutes, not seconds. */
const STAGE_SMOOTHING = 12;
/** Deep and REM bouts shorter than 3 min (6 epochs) are light. */
const MIN_BOUT_EPOCHS = 6;

const finite = (v: number): boolean => !Number.isNaN(v);

/** Heart rate covers at least half the sleep epochs of [from, to): stages can be estimated. */
export function stageable(table: EpochTable, sleepWake: Uint8Array, from: number, to: number): boolean {
  let sleep = 0;
  let heart = 0;
  for (let i = from; i < to; i++) {
    if (sleepWake[i] !== SLEEP) continue;
    sleep++;
    if (finite(table.heartRate[i] as number)) heart++;
  }
  return sleep > 0 && heart >= sleep / 2;
}

/** Epoch indices of a night in its table: time in bed [from, to), and the sleep period [onset, end). */
export interface NightSpan {
  from: number;
  to: number;
  onset: number;
  end: number;
}

/** Stages of the epochs [from, to) of a table, given its sleep/wake and the sleep period [onset, end). */
export function stageNight(
  table: EpochTable,
  scores: SleepScores,
  sleepWake: Uint8Array,
  span: NightSpan,
  model: SleepModel,
): Uint8Array {
  const { from, to, onset } = span;
  const stages = new Uint8Array(to - from);
  for (let i = from; i < to; i++) {
    const code = sleepWake[i];
    stages[i - from] = code === WAKE ? STAGE_WAKE : code === SLEEP ? STAGE_LIGHT : UNSET;
  }
  if (stageable(table, sleepWake, from, to)) {
    const p = stageProbabilities(scores, sleepWake, span, model);
    // How many epochs of each: the shares by hour since onset; which: the most probable.
    const candidates: number[] = [];
    let remQuota = 0;
    let deepQuota = 0;
    for (let i = from; i < to; i++) {
      if (sleepWake[i] !== SLEEP || !scores.features.hasHeart[i]) continue;
      candidates.push(i - from);
      remQuota += shareAt(model.stageShare.rem, i - onset);
      deepQuota += shareAt(model.stageShare.deep, i - onset);
    }
    const byRem = candidates
      .filter((j) => from + j - onset >= REM_LATENCY_EPOCHS)
      .sort((a, b) => (p.rem[b] as number) - (p.rem[a] as number));
    for (const j of byRem.slice(0, Math.round(remQuota))) stages[j] = STAGE_REM;
    const byDeep = candidates
      .filter((j) => stages[j] !== STAGE_REM)
      .sort((a, b) => (p.deep[b] as number) - (p.deep[a] as number));
    for (const j of byDeep.slice(0, Math.round(deepQuota))) stages[j] = STAGE_DEEP;
    smoothStages(stages);
  }
  fillGaps(stages);
  return stages;
}

/** The stage rows of the sleep epochs of [from, to): each epoch's features, then its place in the period. */
export function stageRows(
  scores: SleepScores,
  sleepWake: Uint8Array,
  { from, to, onset, end }: NightSpan,
): Float64Array {
  const rows = new Float64Array((to - from) * STAGE_ROW).fill(Number.NaN);
  const length = Math.max(1, end - onset);
  for (let i = from; i < to; i++) {
    if (sleepWake[i] !== SLEEP) continue;
    const row = (i - from) * STAGE_ROW;
    rows.set(scores.features.values.subarray(i * ROW, (i + 1) * ROW), row);
    rows[row + FEATURE_COUNT] = (i - onset) / 120;
    rows[row + FEATURE_COUNT + 1] = (i - onset) / length;
  }
  return rows;
}

/** REM and deep probabilities of the sleep epochs of [from, to) (NaN elsewhere), indexed from `from`. */
export function stageProbabilities(
  scores: SleepScores,
  sleepWake: Uint8Array,
  span: NightSpan,
  model: SleepModel,
): { rem: Float64Array; deep: Float64Array } {
  const { from, to } = span;
  const rows = stageRows(scores, sleepWake, span);
  const rem = new Float64Array(to - from).fill(Number.NaN);
  const deep = new Float64Array(to - from).fill(Number.NaN);
  const remColumns = columnsOf(model.rem);
  const deepColumns = columnsOf(model.deep);
  for (let j = 0; j < to - from; j++) {
    if (sleepWake[from + j] !== SLEEP) continue;
    rem[j] = probability(model.rem, remColumns, rows, j * STAGE_ROW);
    deep[j] = probability(model.deep, deepColumns, rows, j * STAGE_ROW);
  }
  return { rem: smoothed(rem, STAGE_SMOOTHING), deep: smoothed(deep, STAGE_SMOOTHING) };
}

/** The share of a stage `epochs` after onset (by whole hours; the last entry for every later hour). */
const shareAt = (shares: readonly number[], epochs: number): number =>
  shares[Math.min(shares.length - 1, Math.max(0, Math.floor(epochs / 120)))] ?? 0;

/** The mean of the finite values of `p` over ±r (NaN stays NaN). */
function smoothed(p: Float64Array, r: number): Float64Array {
  const windows = new Windows(p);
  return p.map((v, j) => (finite(v) ? windows.mean(j - r, j + r) : Number.NaN));
}

/** A 5-epoch majority filter over sleep epochs, then deep and REM bouts under 3 min become light. */
function smoothStages(stages: Uint8Array): void {
  const original = stages.slice();
  for (let j = 0; j < stages.length; j++) {
    const s = original[j] as number;
    if (s === STAGE_WAKE || s === UNSET) continue;
    const votes = [0, 0, 0, 0];
    for (let k = Math.max(0, j - 2); k <= Math.min(stages.length - 1, j + 2); k++) {
      const v = original[k] as number;
      if (v !== STAGE_WAKE && v !== UNSET) votes[v] = (votes[v] as number) + 1;
    }
    let best = s;
    for (const v of [STAGE_LIGHT, STAGE_DEEP, STAGE_REM]) if ((votes[v] as number) > (votes[best] as number)) best = v;
    stages[j] = best;
  }
  let start = 0;
  for (let j = 1; j <= stages.length; j++) {
    if (j < stages.length && stages[j] === stages[start]) continue;
    const s = stages[start];
    if ((s === STAGE_DEEP || s === STAGE_REM) && j - start < MIN_BOUT_EPOCHS) stages.fill(STAGE_LIGHT, start, j);
    start = j;
  }
}

/** Epochs without data take the stage of the nearest epoch with data (the earlier one on a tie). */
function fillGaps(stages: Uint8Array): void {
  const n = stages.length;
  const before = new Int32Array(n).fill(-1);
  let last = -1;
  for (let j = 0; j < n; j++) {
    if (stages[j] !== UNSET) last = j;
    before[j] = last;
  }
  let next = -1;
  for (let j = n - 1; j >= 0; j--) {
    if (stages[j] !== UNSET) {
      next = j;
      continue;
    }
    const b = before[j] as number;
    const pick = b < 0 ? next : next < 0 ? b : j - b <= next - j ? b : next;
    stages[j] = pick < 0 ? STAGE_WAKE : (stages[pick] as number);
  }
}
