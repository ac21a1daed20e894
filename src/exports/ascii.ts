import { SECONDS_PER_DAY } from "../lib/time";
import { MIN_DATETIME } from "../measurements/types";

/**
 * Byte writers of the export renderers (csv.ts, ndjson.ts, fhir.ts) beside lib/ascii-number.ts: bytes, two-digit
 * fields, clock times and the datetimes of one day, straight into a reused Uint8Array.
 */

const encoder = new TextEncoder();

/** UTF-8 bytes of `text` (ASCII for everything the renderers write themselves). */
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** Copies `bytes` to buf[start…]; returns the position after them. */
export function writeBytes(buf: Uint8Array, start: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) buf[start + i] = bytes[i] as number;
  return start + bytes.length;
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
