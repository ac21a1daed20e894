/**
 * What the sleep validation scripts share about a folder of PSG-labelled nights (../shared/data/sleep-accel-dev
 * layout): reading its CSV files, the statistics day a night is reported under, how the motion feature is sent as
 * ACTIVITY_COUNT, and how a hypnogram agrees with the PSG epoch by epoch. scripts/validate-sleep.mjs (through the API)
 * and scripts/fit-sleep-model.ts (the pure path) both score with these, so their figures mean the same. Only erasable
 * TypeScript: Node runs it from the .mjs script as it is.
 */
import { readFileSync } from "node:fs";

/** ACTIVITY_COUNT takes integers: the count feature's decimals (0.017676) are sent as hundredths (2). */
export const COUNT_FACTOR = 100;

/** The data rows of a CSV file, as arrays of the column texts. */
export function readRows(file: string): string[][] {
  return readFileSync(file, "utf8")
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== "")
    .map((line) => line.split(","));
}

export interface LabelRow {
  /** Unix seconds of the epoch's start. */
  t: number;
  /** 0 wake, 1-4 NREM, 5 REM, -1 not scored. */
  stage: number;
}

/** The rows of a night's labels.csv. */
export function readLabels(file: string): LabelRow[] {
  return readRows(file).map(([t, stage]) => ({ t: Number(t), stage: Number(stage) }));
}

/**
 * The UTC day a night is reported under: a night belongs to the day on whose 18:00 it ends before
 * (docs/statistics.md), so a recording that stops at 23:00 is the next day's.
 */
export function nightDay(labels: LabelRow[]): string {
  const last = labels.at(-1)?.t ?? Number.NaN;
  return new Date((last + 6 * 3600) * 1000).toISOString().slice(0, 10);
}

export interface EpochCounts {
  wake: number;
  wakeAsWake: number;
  sleep: number;
  sleepAsSleep: number;
}

/**
 * Wake and sleep epochs of the labels (scored only: stage >= 0) against a hypnogram of one letter per 30 s from
 * `start` (W wake, L/D/R sleep): how many of each it got right. An epoch outside the hypnogram is predicted wake.
 */
export function epochCounts(labels: LabelRow[], letters: ArrayLike<string>, start: number): EpochCounts {
  const counts = { wake: 0, wakeAsWake: 0, sleep: 0, sleepAsSleep: 0 };
  for (const { t, stage } of labels) {
    if (!(stage >= 0)) continue;
    const i = Math.round((t - start) / 30);
    const predictedWake = i < 0 || i >= letters.length || letters[i] === "W";
    if (stage === 0) {
      counts.wake++;
      if (predictedWake) counts.wakeAsWake++;
    } else {
      counts.sleep++;
      if (!predictedWake) counts.sleepAsSleep++;
    }
  }
  return counts;
}

/** Minutes of sleep the hypnogram scores on the PSG-scored epochs (the unscored holes left out). */
export const scoredSleepMinutes = (c: EpochCounts): number => (c.sleepAsSleep + c.wake - c.wakeAsWake) / 2;

/** The median of the finite values; null when there are none. */
export function median(values: Array<number | null>): number | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
}

/** Wake specificity and sleep sensitivity of `nights`: pooled over their epochs, and the median per night. */
export function agreement(nights: Array<{ subject: string; epochs?: EpochCounts | null }>) {
  const withHypnogram = nights.filter((n): n is { subject: string; epochs: EpochCounts } => Boolean(n.epochs));
  const sum = (key: keyof EpochCounts) => withHypnogram.reduce((s, n) => s + n.epochs[key], 0);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  return {
    nights: withHypnogram.length,
    withoutHypnogram: nights.filter((n) => !n.epochs).map((n) => n.subject),
    pooled: {
      specificity: ratio(sum("wakeAsWake"), sum("wake")),
      sensitivity: ratio(sum("sleepAsSleep"), sum("sleep")),
      wakeEpochs: sum("wake"),
      sleepEpochs: sum("sleep"),
    },
    medianPerNight: {
      specificity: median(withHypnogram.map((n) => ratio(n.epochs.wakeAsWake, n.epochs.wake))),
      sensitivity: median(withHypnogram.map((n) => ratio(n.epochs.sleepAsSleep, n.epochs.sleep))),
    },
  };
}
