import { MAX_QUALITY, SECONDS_PER_DAY } from "./types";

/**
 * One type's samples for one UTC day, columnar so that encoding, rendering and aggregation run over typed arrays.
 * Invariant: `seconds` is strictly ascending within 0..86399 and the three arrays have the same length.
 */
export interface DaySamples {
  seconds: Int32Array;
  values: Float64Array;
  quality: Uint8Array;
}

export function emptyDaySamples(): DaySamples {
  return { seconds: new Int32Array(0), values: new Float64Array(0), quality: new Uint8Array(0) };
}

/** Throws a RangeError when `s` breaks the DaySamples invariant or holds a value no chunk may store. */
export function assertDaySamples(s: DaySamples): void {
  const n = s.seconds.length;
  if (s.values.length !== n || s.quality.length !== n) {
    throw new RangeError(`DaySamples arrays differ in length (${n}, ${s.values.length}, ${s.quality.length})`);
  }
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const second = s.seconds[i] as number;
    if (second <= previous || second >= SECONDS_PER_DAY) {
      throw new RangeError(`DaySamples seconds must ascend strictly within 0..86399 (index ${i}: ${second})`);
    }
    previous = second;
    const v = s.values[i] as number;
    if (v - v !== 0) throw new RangeError(`DaySamples value at index ${i} is not finite`);
    if ((s.quality[i] as number) > MAX_QUALITY) throw new RangeError(`DaySamples quality at index ${i} is over 4`);
  }
}

export interface MergeResult {
  merged: DaySamples;
  /** Seconds present in both inputs: the incoming sample replaced the stored one. */
  replaced: number;
  /** Seconds only in `incoming`. */
  added: number;
}

/**
 * Merges `incoming` into `base`; on the same second the incoming sample wins, so re-sending a file is idempotent
 * (architecture.md "Time-series storage"). Both inputs must satisfy the DaySamples invariant.
 */
export function mergeSamples(base: DaySamples, incoming: DaySamples): MergeResult {
  const a = base.seconds;
  const b = incoming.seconds;
  const na = a.length;
  const nb = b.length;
  // First pass counts shared seconds so the output is allocated once, at its exact size.
  let replaced = 0;
  for (let i = 0, j = 0; i < na && j < nb; ) {
    const sa = a[i] as number;
    const sb = b[j] as number;
    if (sa < sb) i++;
    else if (sb < sa) j++;
    else {
      replaced++;
      i++;
      j++;
    }
  }
  const n = na + nb - replaced;
  const seconds = new Int32Array(n);
  const values = new Float64Array(n);
  const quality = new Uint8Array(n);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < na && j < nb) {
    const sa = a[i] as number;
    const sb = b[j] as number;
    if (sa < sb) {
      seconds[k] = sa;
      values[k] = base.values[i] as number;
      quality[k++] = base.quality[i++] as number;
    } else {
      if (sa === sb) i++;
      seconds[k] = sb;
      values[k] = incoming.values[j] as number;
      quality[k++] = incoming.quality[j++] as number;
    }
  }
  // The tails are already sorted: bulk copies instead of element loops.
  if (i < na) {
    seconds.set(a.subarray(i), k);
    values.set(base.values.subarray(i), k);
    quality.set(base.quality.subarray(i), k);
  } else if (j < nb) {
    seconds.set(b.subarray(j), k);
    values.set(incoming.values.subarray(j), k);
    quality.set(incoming.quality.subarray(j), k);
  }
  return { merged: { seconds, values, quality }, replaced, added: nb - replaced };
}

/** The samples at or after `fromSecond` (a second of the day): a view, no copy. Reads cut at a share's start. */
export function samplesFrom(samples: DaySamples, fromSecond: number): DaySamples {
  let i = 0;
  while (i < samples.seconds.length && (samples.seconds[i] as number) < fromSecond) i++;
  return {
    seconds: samples.seconds.subarray(i),
    values: samples.values.subarray(i),
    quality: samples.quality.subarray(i),
  };
}
