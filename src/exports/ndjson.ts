import { MAX_NUMBER_BYTES, writeNumber } from "../lib/ascii-number";
import type { DaySamples } from "../measurements/day-samples";
import type { MeasurementType } from "../measurements/types";
import { assertDayEpoch, dayDigits, isoDate, utf8, writeBytes, writeClock, writeEpoch } from "./ascii";

/**
 * NDJSON export (one JSON text per line, RFC 8259 texts separated by "\n"): one line per sample,
 *
 *   {"type":"HEART_RATE","datetime":1672531200,"time":"2023-01-01T00:00:00Z","value":75,"quality":4}
 *
 * always with these five fields in this order. `datetime` is Unix seconds, as in the CSV and the upload; `time` is
 * the same instant in ISO 8601 UTC **without milliseconds** (samples are whole seconds, so `.000` would carry
 * nothing): `new Date(datetime * 1000).toISOString()` with ".000" removed. `value` is the shortest round-trip form
 * (ascii.ts), so JSON.parse gives back the stored double; the graph types carry their stored quality 4 like every
 * other type, as the GET /v1/measurement documents do.
 *
 * Lines are written as bytes into one reused buffer, like csv.ts.
 */

const NL = 10;
const ZERO = 48;
/** A line beyond its `{"type":…,"datetime":` head and its value: 64 bytes (`time`, `quality`, the digits). */
const REST_BYTES = 64;

// Reused across calls, so exporting a year of days allocates it once.
let buffer = new Uint8Array(0);

/**
 * The lines of one day (no bytes for an empty day). `dayEpoch` is the Unix seconds of the day's UTC midnight.
 *
 * The returned view points into a buffer that the next renderNdjsonDay call overwrites: write or copy it first.
 */
export function renderNdjsonDay(type: MeasurementType, dayEpoch: number, samples: DaySamples): Uint8Array {
  assertDayEpoch(dayEpoch);
  const { seconds, values, quality } = samples;
  const n = seconds.length;
  const head = utf8(`{"type":${JSON.stringify(type)},"datetime":`);
  const time = utf8(`,"time":"${isoDate(dayEpoch)}T`);
  const value = utf8(`Z","value":`);
  const tail = utf8(`,"quality":`);
  const size = n * (head.length + REST_BYTES + MAX_NUMBER_BYTES);
  if (buffer.length < size) buffer = new Uint8Array(size);
  const buf = buffer;
  const digits = dayDigits(dayEpoch);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const second = seconds[i] as number;
    pos = writeBytes(buf, pos, head);
    pos = writeEpoch(buf, pos, digits, second);
    pos = writeBytes(buf, pos, time);
    pos = writeClock(buf, pos, second);
    pos = writeBytes(buf, pos, value);
    pos = writeNumber(buf, pos, values[i] as number);
    pos = writeBytes(buf, pos, tail);
    buf[pos++] = ZERO + (quality[i] as number);
    buf[pos++] = 125; // }
    buf[pos++] = NL;
  }
  return buf.subarray(0, pos);
}

/**
 * Any records (sessions, check-ins…) as NDJSON: JSON.stringify of each, one per line. A fresh array on each call.
 * Throws a TypeError for an element JSON cannot represent (undefined, a function), which would leave no line.
 */
export function ndjsonRecords(records: readonly unknown[]): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const text = JSON.stringify(records[i]) as string | undefined;
    if (text === undefined) throw new TypeError(`record ${i} has no JSON form`);
    lines.push(text);
  }
  return utf8(lines.length === 0 ? "" : `${lines.join("\n")}\n`);
}
