import { decodeChunk, encodeChunk } from "./codec";
import type { SampleSink } from "./csv";
import { type DaySamples, mergeSamples } from "./day-samples";
import { SECONDS_PER_DAY } from "./types";

/**
 * Groups an upload's samples into per-day chunks with bounded memory (docs/measurements.md "Storage").
 *
 * Every day has a pending buffer (growable typed arrays, in arrival order) and, once flushed, an encoded chunk. When
 * the pending samples of all days pass `pendingLimit`, the least recently touched days are flushed: their pending
 * samples are sorted if they arrived out of order and merged into their chunk (decoding it first if one exists).
 * Time-ordered input thus encodes each day once, right after the upload moves past it; shuffled input stays correct
 * and costs a re-encode of its day per flush (a fully shuffled month of 1 Hz data: ~340 flushes).
 * Within a day the sample that arrived last wins a second.
 */

export interface DayChunk {
  /** Unix seconds of the UTC midnight starting the day. */
  day: number;
  chunk: Uint8Array;
  /** Distinct samples (seconds) in the chunk. */
  count: number;
  /** The chunk's first and last second after midnight (0..86399), so the store need not decode it to learn them. */
  firstSecond: number;
  lastSecond: number;
}

export interface AccumulatorStats {
  /** Samples received, duplicates included. */
  rows: number;
  /** Distinct (day, second) samples over all days. */
  samples: number;
  /** Earliest and latest datetime received (Unix seconds); null when no sample arrived. */
  first: number | null;
  last: number | null;
  /** Chunk encodes performed: the number of days for time-ordered input, more when samples jump between days. */
  flushes: number;
  /** Most samples held in pending buffers at once; stays at or under the pending limit. */
  peakPending: number;
}

export interface AccumulatedUpload {
  /** Sorted by day, ascending. */
  days: DayChunk[];
  stats: AccumulatorStats;
}

export interface AccumulatorOptions {
  /** Pending samples held over all days before the oldest are encoded. Default 3 days of 1 Hz data. */
  pendingLimit?: number;
}

const INITIAL_CAPACITY = 1024;
/** A flushed buffer up to this capacity (a full 1 Hz day) is kept for the next day instead of growing a new one. */
const SPARE_CAPACITY = 131_072;

class Pending {
  seconds = new Int32Array(INITIAL_CAPACITY);
  values = new Float64Array(INITIAL_CAPACITY);
  quality = new Uint8Array(INITIAL_CAPACITY);
  length = 0;
  /** Seconds strictly ascending in arrival order: then no dedupe pass is needed. */
  ascending = true;

  grow(): void {
    const capacity = this.seconds.length * 2;
    const seconds = new Int32Array(capacity);
    const values = new Float64Array(capacity);
    const quality = new Uint8Array(capacity);
    seconds.set(this.seconds);
    values.set(this.values);
    quality.set(this.quality);
    this.seconds = seconds;
    this.values = values;
    this.quality = quality;
  }
}

interface DayState {
  day: number;
  pending: Pending | null;
  chunk: Uint8Array | null;
  count: number;
  firstSecond: number;
  lastSecond: number;
  /** Logical clock of the last sample, for least-recently-touched flushing. */
  touched: number;
}

export class DayAccumulator implements SampleSink {
  readonly #days = new Map<number, DayState>();
  readonly #pendingLimit: number;
  #pendingTotal = 0;
  #peakPending = 0;
  #flushes = 0;
  #clock = 0;
  #rows = 0;
  #first = Number.POSITIVE_INFINITY;
  #last = Number.NEGATIVE_INFINITY;
  /** The day of the previous sample: consecutive samples almost always share it, so the Map is rarely consulted. */
  #current: DayState | null = null;
  #finished = false;
  #spare: Pending | null = null;

  constructor(options: AccumulatorOptions = {}) {
    this.#pendingLimit = Math.max(options.pendingLimit ?? 3 * SECONDS_PER_DAY, 1);
  }

  /** Takes one sample: `datetime` in whole, non-negative Unix seconds, `quality` 0-4 (the CSV parser ensures both). */
  add(datetime: number, value: number, quality: number): void {
    if (this.#finished) throw new Error("DayAccumulator: add after finish");
    if (!Number.isSafeInteger(datetime) || datetime < 0) throw new RangeError(`bad datetime ${datetime}`);
    this.#rows++;
    if (datetime < this.#first) this.#first = datetime;
    if (datetime > this.#last) this.#last = datetime;
    const second = datetime % SECONDS_PER_DAY;
    const day = datetime - second;
    let state = this.#current;
    if (state === null || state.day !== day) state = this.#switchTo(day);
    let pending = state.pending;
    if (pending === null) {
      pending = this.#spare ?? new Pending();
      this.#spare = null;
      state.pending = pending;
    }
    const n = pending.length;
    if (n === pending.seconds.length) pending.grow();
    if (n > 0 && second <= (pending.seconds[n - 1] as number)) pending.ascending = false;
    pending.seconds[n] = second;
    pending.values[n] = value;
    pending.quality[n] = quality;
    pending.length = n + 1;
    if (++this.#pendingTotal > this.#pendingLimit) this.#flushOldest();
    else if (this.#pendingTotal > this.#peakPending) this.#peakPending = this.#pendingTotal;
  }

  finish(): AccumulatedUpload {
    this.#finished = true;
    const days: DayChunk[] = [];
    let samples = 0;
    for (const state of this.#days.values()) {
      this.#flush(state);
      if (state.chunk === null) continue;
      const { day, chunk, count, firstSecond, lastSecond } = state;
      days.push({ day, chunk, count, firstSecond, lastSecond });
      samples += state.count;
    }
    days.sort((a, b) => a.day - b.day);
    const any = this.#rows > 0;
    return {
      days,
      stats: {
        rows: this.#rows,
        samples,
        first: any ? this.#first : null,
        last: any ? this.#last : null,
        flushes: this.#flushes,
        peakPending: this.#peakPending,
      },
    };
  }

  #switchTo(day: number): DayState {
    let state = this.#days.get(day);
    if (state === undefined) {
      state = { day, pending: null, chunk: null, count: 0, firstSecond: 0, lastSecond: 0, touched: 0 };
      this.#days.set(day, state);
    }
    state.touched = ++this.#clock;
    this.#current = state;
    return state;
  }

  /** Flushes least recently touched days until the pending total is back to half the limit (amortizes the scan). */
  #flushOldest(): void {
    while (this.#pendingTotal > this.#pendingLimit / 2) {
      let oldest: DayState | null = null;
      for (const state of this.#days.values()) {
        if (state.pending !== null && (oldest === null || state.touched < oldest.touched)) oldest = state;
      }
      if (oldest === null) return;
      this.#flush(oldest);
    }
  }

  #flush(state: DayState): void {
    const pending = state.pending;
    if (pending === null) return;
    this.#pendingTotal -= pending.length;
    state.pending = null;
    const incoming = pending.ascending ? viewOf(pending) : sortLastWins(pending);
    // The stored part of the day arrived earlier, so on a shared second the pending sample wins the merge.
    const samples = state.chunk === null ? incoming : mergeSamples(decodeChunk(state.chunk), incoming).merged;
    state.chunk = encodeChunk(samples);
    const count = samples.seconds.length;
    state.count = count;
    state.firstSecond = samples.seconds[0] as number;
    state.lastSecond = samples.seconds[count - 1] as number;
    this.#flushes++;
    // The encoder copied everything out, so the buffer can serve the next day.
    const capacity = pending.seconds.length;
    if (capacity <= SPARE_CAPACITY && (this.#spare === null || this.#spare.seconds.length < capacity)) {
      pending.length = 0;
      pending.ascending = true;
      this.#spare = pending;
    }
  }
}

function viewOf(p: Pending): DaySamples {
  return {
    seconds: p.seconds.subarray(0, p.length),
    values: p.values.subarray(0, p.length),
    quality: p.quality.subarray(0, p.length),
  };
}

/**
 * Sorts out-of-order samples by second, keeping each second's last arrival. The sort key second * n + arrival
 * orders by second, then by arrival, and stays an exact integer in a double (86,400 * n < 2^53).
 */
function sortLastWins(p: Pending): DaySamples {
  const n = p.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (p.seconds[i] as number) * n + i;
  keys.sort();
  let count = 0;
  for (let k = 0; k < n; k++) {
    const second = Math.floor((keys[k] as number) / n);
    if (k + 1 === n || Math.floor((keys[k + 1] as number) / n) !== second) count++;
  }
  const out: DaySamples = {
    seconds: new Int32Array(count),
    values: new Float64Array(count),
    quality: new Uint8Array(count),
  };
  let j = 0;
  for (let k = 0; k < n; k++) {
    const key = keys[k] as number;
    const second = Math.floor(key / n);
    // Only the last arrival of a run of equal seconds is kept.
    if (k + 1 < n && Math.floor((keys[k + 1] as number) / n) === second) continue;
    const i = key - second * n;
    out.seconds[j] = second;
    out.values[j] = p.values[i] as number;
    out.quality[j++] = p.quality[i] as number;
  }
  return out;
}
