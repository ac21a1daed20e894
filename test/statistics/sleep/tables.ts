import { EPOCH_SECONDS, type EpochTable } from "../../../src/statistics/epochs";
import { prng } from "../../measurements/random";

/**
 * Hand-built epoch tables for the sleep tests. A night is a list of states over epoch ranges; each state draws
 * activity and heart rate from a seeded generator with the physiology the algorithms rely on (movement up and in
 * wake, stillness in sleep, heart rate lower asleep, lowest and steadiest in deep sleep, higher and irregular in REM).
 */

/** Local = UTC in these tests: D-1 12:00, the start of the analysis window of the night ending on D = 2026-03-10. */
export const WINDOW_START = Date.UTC(2026, 2, 9, 12) / 1000;
export const ENDS_FROM = WINDOW_START + 6 * 3600;
export const ENDS_BEFORE = WINDOW_START + 30 * 3600;
export const WINDOW = { endsFrom: ENDS_FROM, endsBefore: ENDS_BEFORE };
/** Epochs of the 30-h window. */
export const WINDOW_EPOCHS = 30 * 120;

/** Epoch index of a clock time on D-1 (hours ≥ 24 are on D), in the window starting at D-1 12:00. */
export const at = (hours: number, minutes = 0): number => Math.round((hours - 12) * 120 + minutes * 2);
/** Unix seconds of an epoch index of the window. */
export const secondsOf = (epoch: number, start = WINDOW_START): number => start + epoch * EPOCH_SECONDS;

export type State = "up" | "bed" | "wake" | "light" | "deep" | "rem" | "none";

export interface Plan {
  start?: number;
  epochs?: number;
  /** [from, to) epoch ranges; epochs not covered have no data. */
  states: Array<[number, number, State]>;
  seed?: number;
  /** Multiplies activity (the device's own scale). */
  scale?: number;
  activity?: "counts" | "motion" | "none";
  heartRate?: boolean;
}

/** The seeded generator of the property tests (mulberry32), so every table is the same on every run. */
export const random = prng;

export function blankTable(start: number, length: number): EpochTable {
  return {
    start,
    length,
    heartRate: new Float32Array(length).fill(Number.NaN),
    activity: new Float32Array(length).fill(Number.NaN),
    activitySource: null,
    cadence: new Float32Array(length).fill(Number.NaN),
    restingHeartRate: new Float32Array(length).fill(Number.NaN),
    rrSquaredDiffSum: new Float64Array(length),
    rrDiffCount: new Uint16Array(length),
    rrMean: new Float32Array(length).fill(Number.NaN),
    workout: new Uint8Array(length),
  };
}

/** Chance an epoch moves, and the size of a movement (counts per epoch, before `scale`). */
const MOVES: Record<Exclude<State, "none">, [number, number, number]> = {
  up: [0.85, 100, 300],
  bed: [0.5, 20, 80],
  wake: [0.6, 30, 120],
  light: [0.04, 10, 60],
  deep: [0.01, 10, 30],
  rem: [0.03, 2, 6],
};
/** Heart rate: level and noise amplitude (bpm). */
const HEART: Record<Exclude<State, "none">, [number, number]> = {
  up: [75, 4],
  bed: [63, 2],
  wake: [66, 3],
  light: [56, 1.5],
  deep: [52.5, 0.7],
  rem: [60, 3],
};

export function planTable(plan: Plan): EpochTable {
  const start = plan.start ?? WINDOW_START;
  const table = blankTable(start, plan.epochs ?? WINDOW_EPOCHS);
  const next = random(plan.seed ?? 1);
  const noise = () => next() + next() + next() - 1.5; // about normal, within ±1.5
  const source = plan.activity ?? "counts";
  table.activitySource = source === "counts" ? "ACTIVITY_COUNT" : source === "motion" ? "MOTION_GRAPH" : null;
  const scale = plan.scale ?? 1;
  for (const [from, to, state] of plan.states) {
    for (let i = from; i < to; i++) {
      if (state === "none") continue;
      const [chance, size, spread] = MOVES[state];
      const movement = next() < chance ? size + spread * next() : 0;
      if (source === "counts") table.activity[i] = movement * scale;
      if (source === "motion") table.activity[i] = (0.02 + 0.01 * next() + movement / 1000) * scale;
      const [level, amplitude] = HEART[state];
      if (plan.heartRate ?? true) table.heartRate[i] = level + amplitude * noise();
      if (state === "up" && next() < 0.2) table.cadence[i] = 100;
    }
  }
  return table;
}

/** A plausible adult night in bed 23:00-07:00 on D-1/D: 15 min to fall asleep, 5 NREM-REM cycles, up at 07:00. */
export function cycles(onset: number): Array<[number, number, State]> {
  const parts: Array<[number, State]> = [
    [15, "light"],
    [40, "deep"],
    [25, "light"],
    [10, "rem"],
    [20, "light"],
    [30, "deep"],
    [20, "light"],
    [18, "rem"],
    [35, "light"],
    [15, "deep"],
    [15, "light"],
    [22, "rem"],
    [45, "light"],
    [25, "rem"],
    [40, "light"],
    [30, "rem"],
    [10, "light"],
  ];
  const out: Array<[number, number, State]> = [];
  let i = onset;
  for (const [minutes, state] of parts) {
    out.push([i, i + minutes * 2, state]);
    i += minutes * 2;
  }
  return out;
}

/** The day up to 23:00, in bed 23:00, asleep 23:15 through the cycles (6 h 55 min, to 06:10), 10 min awake in bed, up. */
export function plausibleNight(overrides: Partial<Plan> = {}): Plan {
  const onset = at(23, 15);
  const sleep = cycles(onset);
  const wake = (sleep.at(-1) as [number, number, State])[1];
  return {
    states: [
      [at(12), at(23), "up"],
      [at(23), onset, "bed"],
      ...sleep,
      [wake, wake + 20, "bed"],
      [wake + 20, at(42), "up"],
    ],
    ...overrides,
  };
}

/** The sleep epochs [onset, wake) of `plausibleNight`. */
export const PLAUSIBLE_ONSET = at(23, 15);
export const PLAUSIBLE_WAKE = (cycles(PLAUSIBLE_ONSET).at(-1) as [number, number, State])[1];
