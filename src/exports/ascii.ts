import { SECONDS_PER_DAY } from "../lib/time";
import { MIN_DATETIME } from "../measurements/types";

/**
 * ASCII byte writers shared by the export renderers (csv.ts, ndjson.ts, fhir.ts). They follow the approach of
 * measurements/document.ts: digits go straight into a reused Uint8Array, and only a value that is not a plain
 * integer goes through String(), so a 1 Hz day costs no per-row strings.
 *
 * Numbers are written in JavaScript's shortest round-trip form (String(v), ECMA-262 Number::toString), which is at
 * once a valid CSV value for the upload parser, a JSON number (RFC 8259 §6) and an R4 `decimal`
 * (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`): Number(text) gives back the same double.
 */

/** Integers below this print the same digit by digit as String() does (it switches to exponents at 1e21). */
const PLAIN_INTEGER = 1e15;
const POW10 = [1, 10, 100, 1000] as const;
/** Longest String() of a finite double, e.g. "-2.2250738585072014e-308" (24 bytes). */
export const MAX_NUMBER_BYTES = 24;

const encoder = new TextEncoder();

/** UTF-8 bytes of `text` (ASCII for everything the renderers write themselves). */
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** Copies `bytes` to buf[start…]; returns the position after them. */
export function writeBytes(buf: Uint8Array, start: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) buf[start + i] = bytes[i] as number;
  return start + bytes.length;
}

/** Writes the decimal digits of a non-negative integer below 1e15; returns the position after them. */
export function writeUint(buf: Uint8Array, start: number, value: number): number {
  if (value < 10) {
    buf[start] = 48 + value;
    return start + 1;
  }
  let digits = 1;
  for (let p = 10; p <= value; p *= 10) digits++;
  let v = value;
  for (let at = start + digits - 1; at >= start; at--) {
    const q = Math.floor(v / 10);
    buf[at] = 48 + (v - q * 10);
    v = q;
  }
  return start + digits;
}

/**
 * Writes a finite double as String(v) would, except that -0 is written "0" (as String(-0) and JSON.stringify(-0)
 * also do): the upload stores -0 as 0 (sample-rules.ts `storedValue`), so nothing is lost on a round trip.
 */
export function writeNumber(buf: Uint8Array, start: number, v: number): number {
  if (Math.floor(v) === v && v < PLAIN_INTEGER && v > -PLAIN_INTEGER) {
    if (v < 0) {
      buf[start] = 45; // -
      return writeUint(buf, start + 1, -v);
    }
    return writeUint(buf, start, v); // -0 lands here and prints "0"
  }
  const a = v < 0 ? -v : v;
  // Sensor decimals (36.55, 12.5) have one to three fraction digits: when m / 10^k is exactly the double, the
  // digits of m are String()'s too. A decimal of at most 15 significant digits is the only one that short to round
  // to its double (DBL_DIG = 15), so it is the shortest round-trip form, and from 0.001 up String() uses no exponent.
  for (let k = 1; k <= 3; k++) {
    const scale = POW10[k] as number;
    const m = Math.round(a * scale);
    if (m / scale !== a || m >= PLAIN_INTEGER) continue;
    let pos = start;
    if (v < 0) buf[pos++] = 45;
    const whole = Math.floor(m / scale);
    pos = writeUint(buf, pos, whole);
    buf[pos++] = 46; // .
    let fraction = m - whole * scale;
    let digits = k;
    while (digits > 1 && fraction % 10 === 0) {
      fraction /= 10;
      digits--;
    }
    for (let at = pos + digits - 1; at >= pos; at--) {
      const q = Math.floor(fraction / 10);
      buf[at] = 48 + (fraction - q * 10);
      fraction = q;
    }
    return pos + digits;
  }
  const text = String(v);
  for (let j = 0; j < text.length; j++) buf[start + j] = text.charCodeAt(j);
  return start + text.length;
}

/** Writes `n` (0..99) as exactly two digits. */
export function write2(buf: Uint8Array, start: number, n: number): number {
  const tens = (n / 10) | 0;
  buf[start] = 48 + tens;
  buf[start + 1] = 48 + n - tens * 10;
  return start + 2;
}

/** Writes the time of day of `second` (0..86399) as `HH:MM:SS`. */
export function writeClock(buf: Uint8Array, start: number, second: number): number {
  const h = (second / 3600) | 0;
  const rest = second - h * 3600;
  const m = (rest / 60) | 0;
  let pos = write2(buf, start, h);
  buf[pos++] = 58; // :
  pos = write2(buf, pos, m);
  buf[pos++] = 58;
  return write2(buf, pos, rest - m * 60);
}

/** `YYYY-MM-DD` of a UTC midnight given in Unix seconds. */
export const isoDate = (dayEpoch: number): string => new Date(dayEpoch * 1000).toISOString().slice(0, 10);

/** 9999-12-31, the last day an ISO-8601 four-digit year can name. */
const LAST_DAY = 253_402_214_400;

/**
 * Throws unless `dayEpoch` is the Unix seconds of a UTC midnight from 2000-01-01 (MIN_DATETIME, the oldest day an
 * upload can hold) to 9999-12-31; a milliseconds value fails here.
 */
export function assertDayEpoch(dayEpoch: number): void {
  if (
    !Number.isSafeInteger(dayEpoch) ||
    dayEpoch % SECONDS_PER_DAY !== 0 ||
    dayEpoch < MIN_DATETIME ||
    dayEpoch > LAST_DAY
  ) {
    throw new RangeError(`dayEpoch must be the Unix seconds of a UTC midnight (got ${dayEpoch})`);
  }
}

const LOW = 100_000;

/**
 * The digits of a day's datetimes, prepared once: dayEpoch + second is `head` (or `next`, past a carry) followed by
 * five digits of `low + second`. A day is shorter than 100,000 s, so it crosses at most one carry.
 */
export interface DayDigits {
  readonly low: number;
  readonly head: Uint8Array;
  readonly next: Uint8Array;
}

/** `dayEpoch` must pass assertDayEpoch (so the head is never empty). */
export function dayDigits(dayEpoch: number): DayDigits {
  const h = Math.floor(dayEpoch / LOW);
  return { low: dayEpoch - h * LOW, head: utf8(String(h)), next: utf8(String(h + 1)) };
}

/** Writes dayEpoch + second as a plain integer: 3 divisions instead of 10. */
export function writeEpoch(buf: Uint8Array, start: number, d: DayDigits, second: number): number {
  let lo = d.low + second;
  let head = d.head;
  if (lo >= LOW) {
    lo -= LOW;
    head = d.next;
  }
  let pos = writeBytes(buf, start, head);
  const first = Math.floor(lo / 10_000);
  buf[pos++] = 48 + first;
  const rest = lo - first * 10_000;
  const pair = Math.floor(rest / 100);
  pos = write2(buf, pos, pair);
  return write2(buf, pos, rest - pair * 100);
}
