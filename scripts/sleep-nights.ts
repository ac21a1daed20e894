/**
 * Nights of the sleep-accel layout (../shared/data/sleep-accel-dev/README.md) as the statistics read them: the epoch
 * table of the night's analysis window, built from the files as the store would build it from the same uploads,
 * with the PSG labels on the same epochs. Shared by the model fit (scripts/fit-sleep-model.ts) and its offline
 * validation. Heart rate is read as HEART_RATE; motion as ACTIVITY_COUNT (× 100, rounded: the type takes integers),
 * MOTION_GRAPH (as it is) or not at all.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { nightWindow } from "../src/statistics/engine";
import { buildEpochs, EPOCH_SECONDS, type EpochTable, type SeriesInput } from "../src/statistics/epochs";

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
  truth: Truth;
}

export function subjectsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, "truth.json")))
    .sort();
}

function readCsv(path: string): { seconds: number[]; values: number[]; quality: number[] } {
  const out = { seconds: [] as number[], values: [] as number[], quality: [] as number[] };
  const lines = readFileSync(path, "utf8").trim().split("\n");
  for (const line of lines.slice(1)) {
    const [t, v, q] = line.split(",");
    out.seconds.push(Number(t));
    out.values.push(Number(v));
    out.quality.push(q === undefined ? 4 : Number(q));
  }
  return out;
}

const series = (s: { seconds: number[]; values: number[]; quality: number[] }): SeriesInput => ({
  seconds: Float64Array.from(s.seconds),
  values: Float64Array.from(s.values),
  quality: Uint8Array.from(s.quality),
});

export interface LoadOptions {
  motion?: MotionInput;
  /** Multiplies the motion values first (a device of another scale). */
  motionScale?: number;
}

export function loadNight(dir: string, subject: string, options: LoadOptions = {}): DatasetNight {
  const motion = options.motion ?? "ACTIVITY_COUNT";
  const scale = options.motionScale ?? 1;
  const folder = join(dir, subject);
  const labelRows = readFileSync(join(folder, "labels.csv"), "utf8").trim().split("\n").slice(1);
  const last = Number(labelRows.at(-1)?.split(",")[0]);
  // A night belongs to the day on whose 18:00 it ends before: a recording that ends at 23:00 is the next day's.
  const day = new Date((last + 6 * 3600) * 1000).toISOString().slice(0, 10);
  const w = nightWindow(day, "UTC");
  const input: Partial<Record<"HEART_RATE" | "ACTIVITY_COUNT" | "MOTION_GRAPH", SeriesInput>> = {
    HEART_RATE: series(readCsv(join(folder, "heart_rate.csv"))),
  };
  if (motion !== "none") {
    const m = readCsv(join(folder, "walch_count_feature_30s.csv"));
    m.values = m.values.map((v) => (motion === "ACTIVITY_COUNT" ? Math.round(v * 100 * scale) : v * scale));
    if (motion === "MOTION_GRAPH") m.quality = m.quality.map(() => 4);
    input[motion] = series(m);
  }
  const table = buildEpochs({ start: w.from, end: w.to, series: input, sessions: [] });
  const labels = new Int8Array(table.length).fill(-1);
  for (const row of labelRows) {
    const [t, stage] = row.split(",").map(Number) as [number, number];
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
    truth,
  };
}
