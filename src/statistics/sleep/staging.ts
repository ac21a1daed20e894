/**
 * Sleep stages from heart rate and motion: a documented heuristic, not a polysomnograph. The physiology it reads:
 * - Deep sleep (N3): heart rate at its lowest and steadiest, vagal tone high (high RMSSD), no movement; concentrated
 *   in the first third of the night (Feinberg & Floyd 1979; Trinder et al. 2001).
 * - REM: heart rate above the NREM level and irregular, vagal tone lower, muscle atonia (at most twitches); more in
 *   the last third, and not within 60 min of sleep onset (the REM latency of healthy adults is about 90 min).
 * - Light (N1/N2): the rest of sleep. Wake: the wake epochs of the period (sleep/wake classification).
 * Heart rate is read against its own 60-min moving median (the slow fall across the night is not depth), in units of
 * 4 % of the sleeping level; variability against the night's median. Without heart rate in half the sleep epochs,
 * sleep stays light (stages cannot be told from motion alone).
 *
 * - Feinberg I, Floyd TC. Systematic trends across the night in human sleep cycles. Psychophysiology
 *   1979;16(3):283-291.
 * - Trinder J, Kleiman J, Carrington M, et al. Autonomic activity during human sleep as a function of time and sleep
 *   stage. J Sleep Res 2001;10(4):253-264.
 * - Walch O, et al. Sleep 2019;42(12):zsz180 (heart-rate variability over a ~10-min window as a stage feature).
 */
import type { EpochTable } from "../epochs";
import { movingMedian, quantile, SLEEP, STAGE_DEEP, STAGE_LIGHT, STAGE_REM, STAGE_WAKE, WAKE } from "./shared";
import { HEART_RATE_UNIT, type SleepFeatures } from "./sleep-wake";

const UNSET = 255;
/** A stage score at or above this makes the epoch deep or REM. */
const STAGE_THRESHOLD = 1.5;
/** No REM in the first 60 min after onset (120 epochs). */
const REM_LATENCY_EPOCHS = 120;
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

/** Mean of the finite values of `values` in [i − r, i + r] ∩ [from, to). */
function localMean(values: ArrayLike<number>, i: number, r: number, from: number, to: number): number {
  let s = 0;
  let c = 0;
  for (let k = Math.max(from, i - r); k <= Math.min(to - 1, i + r); k++) {
    const v = values[k] as number;
    if (finite(v)) {
      s += v;
      c++;
    }
  }
  return c > 0 ? s / c : Number.NaN;
}

/** Stages of the epochs [from, to) of a table, given its sleep/wake and the sleep period [onset, end). */
export function stageNight(
  table: EpochTable,
  f: SleepFeatures,
  sleepWake: Uint8Array,
  from: number,
  to: number,
  onset: number,
  end: number,
): Uint8Array {
  const stages = new Uint8Array(to - from);
  for (let i = from; i < to; i++) {
    const code = sleepWake[i];
    stages[i - from] = code === WAKE ? STAGE_WAKE : code === SLEEP ? STAGE_LIGHT : UNSET;
  }
  if (stageable(table, sleepWake, from, to)) assignSleepStages(table, f, sleepWake, stages, from, to, onset, end);
  fillGaps(stages);
  return stages;
}

function assignSleepStages(
  table: EpochTable,
  f: SleepFeatures,
  sleepWake: Uint8Array,
  stages: Uint8Array,
  from: number,
  to: number,
  onset: number,
  end: number,
): void {
  const n = to - from;
  const hr = table.heartRate;
  const isSleep = (i: number): boolean => sleepWake[i] === SLEEP;
  // Heart rate over 3.5 min, and its 60-min moving median over sleep.
  const smooth = new Float64Array(n).fill(Number.NaN);
  for (let i = from; i < to; i++) if (isSleep(i)) smooth[i - from] = localMean(hr, i, 3, from, to);
  const base = finite(f.heartRateBase) ? f.heartRateBase : quantile(smooth, 0.5);
  const unit = HEART_RATE_UNIT * base;
  const above = new Float64Array(n).fill(Number.NaN);
  const level = movingMedian(smooth, 60);
  for (let j = 0; j < n; j++) {
    if (finite(smooth[j] as number)) above[j] = ((smooth[j] as number) - (level[j] as number)) / unit;
  }
  // Variability: SD of epoch heart rate over 5.5 min; vagal tone: ln RMSSD over the same window where beats exist.
  const spread = new Float64Array(n).fill(Number.NaN);
  const lnRmssd = new Float64Array(n).fill(Number.NaN);
  for (let i = from; i < to; i++) {
    if (!isSleep(i)) continue;
    let s = 0;
    let s2 = 0;
    let c = 0;
    let sq = 0;
    let d = 0;
    for (let k = Math.max(from, i - 5); k <= Math.min(to - 1, i + 5); k++) {
      const v = hr[k] as number;
      if (finite(v)) {
        s += v;
        s2 += v * v;
        c++;
      }
      sq += table.rrSquaredDiffSum[k] as number;
      d += table.rrDiffCount[k] as number;
    }
    if (c >= 4) spread[i - from] = Math.sqrt(Math.max(0, s2 / c - (s / c) ** 2));
    if (d >= 30 && sq > 0) lnRmssd[i - from] = 0.5 * Math.log(sq / d);
  }
  const typicalSpread = quantile(spread, 0.5);
  const typicalLnRmssd = quantile(lnRmssd, 0.5);
  const length = Math.max(1, end - onset);
  for (let i = from; i < to; i++) {
    if (!isSleep(i)) continue;
    const j = i - from;
    const dh = finite(above[j] as number) ? (above[j] as number) : 0;
    const sp = spread[j] as number;
    const rv = finite(sp) && typicalSpread > 0 ? 2 * (sp / typicalSpread - 1) : 0;
    const lr = lnRmssd[j] as number;
    const vagal = finite(lr) ? 0.5 * Math.max(-1, Math.min(1, (lr - typicalLnRmssd) / 0.3)) : 0;
    let moved = 0;
    for (let k = Math.max(from, i - 4); k <= Math.min(to - 1, i + 4); k++) {
      const m = f.movement[k] as number;
      if (finite(m) && m > moved) moved = m;
    }
    const p = (i - onset) / length;
    const deep = -dh - rv + vagal + (p < 1 / 3 ? 0.75 : p < 2 / 3 ? 0 : -0.75) - (moved >= 0.5 ? 2 : 0);
    const rem =
      i - onset < REM_LATENCY_EPOCHS
        ? Number.NEGATIVE_INFINITY
        : dh + rv - vagal + (p > 2 / 3 ? 0.5 : p < 1 / 3 ? -0.5 : 0) - (moved >= 2 ? 2 : 0);
    stages[j] = rem >= STAGE_THRESHOLD && rem >= deep ? STAGE_REM : deep >= STAGE_THRESHOLD ? STAGE_DEEP : STAGE_LIGHT;
  }
  smoothStages(stages);
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
