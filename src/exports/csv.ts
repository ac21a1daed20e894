import { MAX_NUMBER_BYTES, writeNumber } from "../lib/ascii-number";
import type { DaySamples } from "../measurements/day-samples";
import { COLUMN_SPECS, type MeasurementType } from "../measurements/types";
import { assertDayEpoch, dayDigits, utf8, writeEpoch } from "./ascii";

/**
 * CSV export of one UTC day of one measurement type, in exactly the form POST /v1/measurement/upload accepts
 * (docs/measurements.md "CSV format per type" and "Upload rules"), so that re-uploading an export stores the same
 * samples again:
 *
 * - the header names the type's columns (`COLUMN_SPECS[type].columns`); the parser recognises it as a header
 *   because none of its fields is a number;
 * - a row is `datetime,value,quality_indicator\n`, or `datetime,value\n` for the graph types, which have no
 *   quality column (their samples are stored with quality 4 whatever the export held);
 * - `datetime` is the day's Unix seconds plus the sample's second, a plain integer;
 * - `value` is the shortest round-trip form (ascii.ts): integers digit by digit, other values as String(v), whose
 *   Number() is the same double; -0 is written "0", which is what an upload stores for "-0" anyway.
 *
 * Rows are written as bytes into one reused buffer (at most ~3.5 MB, for a full 1 Hz day) with no per-row string.
 */

/** Longest row: an 11-digit datetime, a comma, a 24-byte value, ",4" and "\n" = 39 bytes. */
const ROW_BYTES = 11 + 1 + MAX_NUMBER_BYTES + 2 + 1;
const COMMA = 44;
const NL = 10;
const ZERO = 48;

/** The header row, e.g. `datetime,value,quality_indicator\n`; a fresh array on each call. */
export function csvHeader(type: MeasurementType): Uint8Array {
  return utf8(`${COLUMN_SPECS[type].columns.join(",")}\n`);
}

// Reused across calls, so exporting a year of days allocates it once.
let buffer = new Uint8Array(0);

/**
 * The rows of one day, without a header; no bytes for an empty day. `dayEpoch` is the Unix seconds of the day's UTC
 * midnight and `samples` satisfy the DaySamples invariant.
 *
 * The returned view points into a buffer that the next renderCsvDay call overwrites: write or copy it first.
 */
export function renderCsvDay(type: MeasurementType, dayEpoch: number, samples: DaySamples): Uint8Array {
  assertDayEpoch(dayEpoch);
  const { seconds, values, quality } = samples;
  const n = seconds.length;
  const size = n * ROW_BYTES;
  if (buffer.length < size) buffer = new Uint8Array(size);
  const buf = buffer;
  const withQuality = COLUMN_SPECS[type].hasQuality;
  const digits = dayDigits(dayEpoch);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    pos = writeEpoch(buf, pos, digits, seconds[i] as number);
    buf[pos++] = COMMA;
    pos = writeNumber(buf, pos, values[i] as number);
    if (withQuality) {
      buf[pos++] = COMMA;
      buf[pos++] = ZERO + (quality[i] as number);
    }
    buf[pos++] = NL;
  }
  return buf.subarray(0, pos);
}
