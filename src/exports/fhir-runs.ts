import { SECONDS_PER_DAY } from "../lib/time";

/**
 * Whether a (type, day) becomes SampledData, and its runs: steps 1-3 of the rule in fhir.ts's module comment.
 * Pure and linear, so it can be tested on its own.
 */

/** Step 2 of the rule: a run ends at a hole longer than both. */
export const RUN_BREAK_SECONDS = 300;
export const RUN_BREAK_STEPS = 10;

export interface RunPlan {
  gap: number;
  /** Index of each run's first sample; a run ends where the next begins. */
  starts: number[];
  /** Grid slots from the first to the last sample of every run, summed. */
  slots: number;
}

// Counts of the gaps between consecutive seconds, reset after each use.
const gapCounts = new Uint32Array(SECONDS_PER_DAY);

/** Steps 1-3 of the rule: the runs for SampledData, or null for one Observation per sample. */
export function planRuns(seconds: Int32Array): RunPlan | null {
  if (seconds.length < 2) return null;
  const gap = commonGap(seconds);
  // Every second lies on the 1 s grid: a dense day that is off its common step's grid still fits that one.
  return runsOnGrid(seconds, gap) ?? (gap > 1 ? runsOnGrid(seconds, 1) : null);
}

/**
 * The DaySamples order invariant, checked because SampledData would otherwise misplace a repeated second silently
 * (a CSV or NDJSON line shows it). Linear and cheap next to the rendering.
 */
export function assertAscending(seconds: Int32Array): void {
  let previous = -1;
  for (let i = 0; i < seconds.length; i++) {
    const second = seconds[i] as number;
    if (second <= previous || second >= SECONDS_PER_DAY) {
      throw new RangeError(`DaySamples seconds must ascend strictly within 0..86399 (index ${i}: ${second})`);
    }
    previous = second;
  }
}

/** The most common gap between consecutive seconds, the smaller one on a tie. */
function commonGap(seconds: Int32Array): number {
  let gap = 0;
  let best = 0;
  for (let i = 1; i < seconds.length; i++) {
    const d = (seconds[i] as number) - (seconds[i - 1] as number);
    const count = (gapCounts[d] as number) + 1;
    gapCounts[d] = count;
    if (count > best || (count === best && d < gap)) {
      best = count;
      gap = d;
    }
  }
  for (let i = 1; i < seconds.length; i++) gapCounts[(seconds[i] as number) - (seconds[i - 1] as number)] = 0;
  return gap;
}

function runsOnGrid(seconds: Int32Array, gap: number): RunPlan | null {
  const n = seconds.length;
  const limit = Math.max(RUN_BREAK_SECONDS, RUN_BREAK_STEPS * gap);
  const starts = [0];
  let slots = 1;
  for (let i = 1; i < n; i++) {
    const d = (seconds[i] as number) - (seconds[i - 1] as number);
    if (d > limit) {
      starts.push(i);
      slots++;
    } else if (d % gap !== 0) {
      return null;
    } else {
      slots += d / gap;
    }
  }
  return 2 * n >= slots ? { gap, starts, slots } : null;
}
