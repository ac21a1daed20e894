import { assertDaySamples, type DaySamples } from "./day-samples";
import { MAX_QUALITY, SECONDS_PER_DAY } from "./types";

export { type DaySamples, emptyDaySamples, type MergeResult, mergeSamples } from "./day-samples";

/**
 * The binary chunk: one type's samples for one UTC day (docs/measurements.md "Storage").
 *
 *   u8      version (1)
 *   varint  n, the sample count (0..86400)
 *   tokens  seconds as gaps (each ≥ 1) from the previous second, the first one counted from -1
 *   u8      value kind: 0 = integers, 1..3 = decimals scaled by 10^kind, 8 = raw float64
 *   tokens  (kinds 0..3) zigzag deltas of the scaled integers | (kind 8) n little-endian float64
 *   u8      quality kind: 0 = runs of (u8 quality, varint length) | 1 = two 4-bit qualities per byte
 *
 * "tokens" is a run-length varint stream: each token is varint(x * 2 + isRun) where a run token is followed by
 * varint(repeat count). A full day at 1 Hz is then one run (gap 1, 86,400 times), and a steady value costs a few bytes.
 * Every read is bounds-checked, so corrupt bytes throw a ChunkError and never loop or read out of range.
 */
export const CHUNK_VERSION = 1;

export class ChunkError extends Error {
  override readonly name = "ChunkError";
}

const KIND_RAW = 8;
const QUALITY_RUNS = 0;
const QUALITY_PACKED = 1;
/** Scaled integers stay within ±2^28, so zigzag deltas and run tokens fit int32 bit operations. */
const SCALED_LIMIT = 2 ** 28 - 1;
const POW10 = [1, 10, 100, 1000] as const;
/** Runs shorter than this cost no less as single tokens, which decode faster. */
const MIN_RUN = 3;

// Encoding scratch, grown on demand: chunk encoding is synchronous, so one set of buffers per isolate suffices.
// Hot loops take them as parameters: module-level bindings cost a context load and a TDZ check per access.
let scratchBytes = new Uint8Array(0);
let scratchInts = new Int32Array(0);

function scratch(n: number): { buf: Uint8Array; tokens: Int32Array } {
  const bytes = 16 + n * 15; // version + count + 5 B/second + 8 B/value + 2 B/quality, the worst case
  if (scratchBytes.length < bytes) scratchBytes = new Uint8Array(bytes);
  if (scratchInts.length < n) scratchInts = new Int32Array(n);
  return { buf: scratchBytes, tokens: scratchInts };
}

function writeVarint(buf: Uint8Array, pos: number, value: number): number {
  let v = value;
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/** Writes `tokens[0..n)` (each 0..2^30) as a run-length varint stream. */
function writeTokens(buf: Uint8Array, start: number, tokens: Int32Array, n: number): number {
  let pos = start;
  let i = 0;
  while (i < n) {
    const t = tokens[i] as number;
    let j = i + 1;
    while (j < n && tokens[j] === t) j++;
    if (j - i >= MIN_RUN) {
      pos = writeVarint(buf, pos, t * 2 + 1);
      pos = writeVarint(buf, pos, j - i);
      i = j;
    } else {
      pos = writeVarint(buf, pos, t * 2);
      i++;
    }
  }
  return pos;
}

/** Decimal scale (0..3) that represents `v` exactly within SCALED_LIMIT, or -1. -0 has no integer form. */
function scaleOf(v: number): number {
  for (let k = 0; k <= 3; k++) {
    const p = POW10[k] as number;
    const s = Math.round(v * p);
    if (s / p === v && s <= SCALED_LIMIT && s >= -SCALED_LIMIT) return v === 0 && 1 / v < 0 ? -1 : k;
  }
  return -1;
}

/** Picks the value kind and, for kinds 0..3, leaves the zigzag deltas in `tokens`. */
function prepareValues(values: Float64Array, n: number, tokens: Int32Array): number {
  let kind = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    // Integers take the cheap test; anything else finds its scale (or sends the whole day to raw float64).
    if (Math.floor(v) === v && v <= SCALED_LIMIT && v >= -SCALED_LIMIT && (v !== 0 || 1 / v > 0)) continue;
    const k = scaleOf(v);
    if (k < 0) return KIND_RAW;
    if (k > kind) kind = k;
  }
  const p = POW10[kind] as number;
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    const s = Math.round(v * p);
    // A value exact at a smaller scale is exact at a larger one; checked anyway, since a miss would corrupt data.
    if (s / p !== v || s > SCALED_LIMIT || s < -SCALED_LIMIT) return KIND_RAW;
    const d = s - previous;
    tokens[i] = (d << 1) ^ (d >> 31);
    previous = s;
  }
  return kind;
}

/** Encodes one day; throws a RangeError if `s` breaks the DaySamples invariant. */
export function encodeChunk(s: DaySamples): Uint8Array {
  assertDaySamples(s);
  const n = s.seconds.length;
  const { buf, tokens } = scratch(n);
  buf[0] = CHUNK_VERSION;
  let pos = writeVarint(buf, 1, n);
  if (n === 0) return buf.slice(0, pos);

  const seconds = s.seconds;
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const second = seconds[i] as number;
    tokens[i] = second - previous;
    previous = second;
  }
  pos = writeTokens(buf, pos, tokens, n);

  const values = s.values;
  const kind = prepareValues(values, n, tokens);
  buf[pos++] = kind;
  if (kind === KIND_RAW) {
    const view = new DataView(buf.buffer, buf.byteOffset + pos, n * 8);
    for (let i = 0; i < n; i++) view.setFloat64(i * 8, values[i] as number, true);
    pos += n * 8;
  } else {
    pos = writeTokens(buf, pos, tokens, n);
  }
  pos = writeQuality(buf, pos, s.quality, n);
  return buf.slice(0, pos);
}

function writeQuality(buf: Uint8Array, start: number, quality: Uint8Array, n: number): number {
  let runs = 1;
  for (let i = 1; i < n; i++) if (quality[i] !== quality[i - 1]) runs++;
  let pos = start;
  // A run costs at least 2 bytes, a packed sample half a byte: runs win while they average 4+ samples.
  if (runs * 4 <= n) {
    buf[pos++] = QUALITY_RUNS;
    let i = 0;
    while (i < n) {
      const q = quality[i] as number;
      let j = i + 1;
      while (j < n && quality[j] === q) j++;
      buf[pos++] = q;
      pos = writeVarint(buf, pos, j - i);
      i = j;
    }
  } else {
    buf[pos++] = QUALITY_PACKED;
    for (let i = 0; i < n; i += 2)
      buf[pos++] = (quality[i] as number) | (i + 1 < n ? (quality[i + 1] as number) << 4 : 0);
  }
  return pos;
}

// ---- decoding ----

const corrupt = (why: string) => new ChunkError(`corrupt measurement chunk: ${why}`);

/** Cursor of the multi-byte varint reader (a module variable so the hot loops need no result objects). */
let cursor = 0;

/** Reads a varint of at most 31 bits at `cursor`. */
function readVarint(bytes: Uint8Array, end: number): number {
  let value = 0;
  for (let shift = 0; shift <= 28; shift += 7) {
    if (cursor >= end) throw corrupt("truncated");
    const b = bytes[cursor++] as number;
    if (shift === 28 && b > 0x07) throw corrupt("varint overflow");
    value |= (b & 0x7f) << shift;
    if (b < 0x80) return value;
  }
  throw corrupt("varint overflow");
}

export function decodeChunk(bytes: Uint8Array): DaySamples {
  const end = bytes.length;
  if (end < 2) throw corrupt("too short");
  if (bytes[0] !== CHUNK_VERSION) throw corrupt(`unknown version ${bytes[0]}`);
  cursor = 1;
  const n = readVarint(bytes, end);
  if (n > SECONDS_PER_DAY) throw corrupt(`sample count ${n} exceeds one day`);
  const seconds = new Int32Array(n);
  const values = new Float64Array(n);
  const quality = new Uint8Array(n);
  if (n > 0) {
    readSeconds(bytes, end, seconds, n);
    readValues(bytes, end, values, n);
    readQuality(bytes, end, quality, n);
  }
  if (cursor !== end) throw corrupt("trailing bytes");
  return { seconds, values, quality };
}

// The two token readers below repeat the same token loop on purpose: fused with their own arithmetic they decode
// in one pass without an intermediate array, which doubles their speed.

function readSeconds(bytes: Uint8Array, end: number, seconds: Int32Array, n: number): void {
  let pos = cursor;
  let i = 0;
  let second = -1;
  while (i < n) {
    if (pos >= end) throw corrupt("truncated");
    let t = bytes[pos] as number;
    if (t < 0x80) pos++;
    else {
      cursor = pos;
      t = readVarint(bytes, end);
      pos = cursor;
    }
    const gap = t >>> 1;
    if (gap === 0) throw corrupt("seconds not ascending");
    let count = 1;
    if (t & 1) {
      cursor = pos;
      count = readVarint(bytes, end);
      pos = cursor;
      if (count < 1 || count > n - i) throw corrupt("run overflows the sample count");
    }
    if (second + gap * count >= SECONDS_PER_DAY) throw corrupt("second out of range");
    for (const stop = i + count; i < stop; i++) {
      second += gap;
      seconds[i] = second;
    }
  }
  cursor = pos;
}

function readValues(bytes: Uint8Array, end: number, values: Float64Array, n: number): void {
  if (cursor >= end) throw corrupt("truncated");
  const kind = bytes[cursor++] as number;
  if (kind === KIND_RAW) {
    if (end - cursor < n * 8) throw corrupt("truncated");
    const view = new DataView(bytes.buffer, bytes.byteOffset + cursor, n * 8);
    for (let i = 0; i < n; i++) {
      const v = view.getFloat64(i * 8, true);
      if (v - v !== 0) throw corrupt("non-finite value");
      values[i] = v;
    }
    cursor += n * 8;
    return;
  }
  if (kind > 3) throw corrupt(`unknown value kind ${kind}`);
  // Division by the exact power of ten is what the encoder verified; multiplying by 0.1 would round differently.
  // For kind 0 it divides by 1, which is exact and cheaper than a second loop.
  const p = POW10[kind] as number;
  let pos = cursor;
  let i = 0;
  let acc = 0;
  while (i < n) {
    if (pos >= end) throw corrupt("truncated");
    let t = bytes[pos] as number;
    if (t < 0x80) pos++;
    else {
      cursor = pos;
      t = readVarint(bytes, end);
      pos = cursor;
    }
    const z = t >>> 1;
    const delta = (z >>> 1) ^ -(z & 1);
    let count = 1;
    if (t & 1) {
      cursor = pos;
      count = readVarint(bytes, end);
      pos = cursor;
      if (count < 1 || count > n - i) throw corrupt("run overflows the sample count");
    }
    for (const stop = i + count; i < stop; i++) {
      acc += delta;
      values[i] = acc / p;
    }
  }
  cursor = pos;
}

function readQuality(bytes: Uint8Array, end: number, quality: Uint8Array, n: number): void {
  if (cursor >= end) throw corrupt("truncated");
  const kind = bytes[cursor++] as number;
  if (kind === QUALITY_PACKED) {
    const size = (n + 1) >> 1;
    if (end - cursor < size) throw corrupt("truncated");
    for (let i = 0; i < n; i++) {
      const b = bytes[cursor + (i >> 1)] as number;
      const q = i & 1 ? b >> 4 : b & 0x0f;
      if (q > MAX_QUALITY) throw corrupt("quality over 4");
      quality[i] = q;
    }
    if (n & 1 && (bytes[cursor + size - 1] as number) >> 4 !== 0) throw corrupt("quality padding");
    cursor += size;
    return;
  }
  if (kind !== QUALITY_RUNS) throw corrupt(`unknown quality kind ${kind}`);
  let i = 0;
  while (i < n) {
    if (cursor >= end) throw corrupt("truncated");
    const q = bytes[cursor++] as number;
    if (q > MAX_QUALITY) throw corrupt("quality over 4");
    const count = readVarint(bytes, end);
    if (count < 1 || count > n - i) throw corrupt("quality run overflows the sample count");
    quality.fill(q, i, i + count);
    i += count;
  }
}
