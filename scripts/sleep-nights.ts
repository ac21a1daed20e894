/**
 * Nights of the sleep-accel layout (../shared/data/sleep-accel-dev/README.md) as the statistics read them: the epoch
 * table of the night's analysis window, built from the files as the store would build it from the same uploads,
 * with the PSG labels on the same epochs, for the model fit and its leave-one-night-out figures
 * (scripts/fit-sleep-model.ts). Heart rate is read as HEART_RATE; motion as ACTIVITY_COUNT (× COUNT_FACTOR, rounded:
 * the type takes integers), MOTION_GRAPH (as it is) or not at all, as scripts/validate-sleep.mjs uploads them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { nightWindow } from "../src/statistics/engine";
import { buildEpochs, EPOCH_SECONDS, type EpochTable, type SeriesInput } from "../src/statistics/epochs";
import { COUNT_FACTOR, type LabelRow, nightDay, readLabels, readRows } from "./sleep-dataset.ts";

export type MotionInput = "ACTIVITY_COUNT" | "MOTION_GRAPH" | "none";

export interface Truth {
  total_sleep_time_min: number;
  sleep_onset: number;
  final_awakening: number;
  minutes: { wake: number; n1: number; n2: number; n3: number; rem: number };
  flags: string[];
}

export interface DatasetNight {
  subject: string;
  /** The local (UTC) date the night ends on: the statistics day it is reported under. */
  day: string;
  table: EpochTable;
  window: { endsFrom: number; endsBefore: number };
  /** PSG stage per epoch of the table: 0 wake, 1-4 NREM, 5 REM, -1 unscored or outside the recording. */
  labels: Int8Array;
  /** The rows of labels.csv. */
  labelRows: LabelRow[];
  truth: Truth;
}

export function subjectsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, "truth.json")))
    .sort();
}

/** A series file (`datetime,value[,quality_indicator]`) as a SeriesInput, its values through `value`. */
function readSeries(
  path: string,
  value: (v: number) => number = (v) => v,
): { seconds: Float64Array; values: Float64Array; quality: Uint8Array } {
  const rows = readRows(path);
  return {
    seconds: Float64Array.from(rows, ([t]) => Number(t)),
    values: Float64Array.from(rows, ([, v]) => value(Number(v))),
    quality: Uint8Array.from(rows, ([, , q]) => (q === undefined ? 4 : Number(q))),
  };
}

export interface LoadOptions {
  motion?: MotionInput;
  /** Multiplies the motion values first (a device of another scale). */
  motionScale?: number;
}

export function loadNight(dir: string, subject: string, options: LoadOptions = {}): DatasetNight {
  const motion = options.motion ?? "ACTIVITY_COUNT";
  const scale = options.motionScale ?? 1;
  const folder = join(dir, subject);
  const labelRows = readLabels(join(folder, "labels.csv"));
  const day = nightDay(labelRows);
  const w = nightWindow(day, "UTC");
  const input: Partial<Record<"HEART_RATE" | "ACTIVITY_COUNT" | "MOTION_GRAPH", SeriesInput>> = {
    HEART_RATE: readSeries(join(folder, "heart_rate.csv")),
  };
  if (motion !== "none") {
    const counts = motion === "ACTIVITY_COUNT";
    const m = readSeries(join(folder, "walch_count_feature_30s.csv"), (v) =>
      counts ? Math.round(v * COUNT_FACTOR * scale) : v * scale,
    );
    if (!counts) m.quality.fill(4); // MOTION_GRAPH has no quality column: the store keeps 4
    input[motion] = m;
  }
  const table = buildEpochs({ start: w.from, end: w.to, series: input, sessions: [] });
  const labels = new Int8Array(table.length).fill(-1);
  for (const { t, stage } of labelRows) {
    const i = Math.round((t - w.from) / EPOCH_SECONDS);
    if (i >= 0 && i < table.length) labels[i] = stage;
  }
  const truth = JSON.parse(readFileSync(join(folder, "truth.json"), "utf8")) as Truth;
  return {
    subject,
    day,
    table,
    window: { endsFrom: w.endsFrom, endsBefore: w.endsBefore },
    labels,
    labelRows,
    truth,
  };
}
