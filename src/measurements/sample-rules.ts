import {
  COLUMN_SPECS,
  type ColumnSpec,
  MAX_FUTURE_SECONDS,
  MAX_QUALITY,
  type MeasurementType,
  MIN_DATETIME,
} from "./types";

/**
 * The per-sample rules of both ingest paths, the CSV upload (csv.ts) and the JSON batch (ingest/batch.ts); see
 * docs/measurements.md "Upload rules". The checks answer why a field fails, never a message: the CSV parser words the
 * fault with the line and the field's text, the batch with the element's index.
 *
 * - datetime: whole Unix seconds, from MIN_DATETIME (2000-01-01) to MAX_FUTURE_SECONDS (one day) after now;
 * - value: finite, an integer for the integer types, within the type's [min, max] (COLUMN_SPECS);
 * - quality: an integer 0..MAX_QUALITY; types without a quality column store DEFAULT_QUALITY instead;
 * - -0 is stored as 0 (`storedValue`).
 *
 * Duplicate seconds are not a per-sample matter: within an upload the last arrival wins (DayAccumulator), and a
 * stored sample at the same second is replaced (mergeSamples).
 */

export type DatetimeFault = "not_whole" | "too_early" | "too_late";
export type ValueFault = "not_finite" | "not_whole" | "out_of_range";

export class SampleRules {
  readonly spec: ColumnSpec;
  /** The latest accepted datetime: now plus MAX_FUTURE_SECONDS. */
  readonly latestDatetime: number;

  constructor(type: MeasurementType, nowSeconds: number) {
    this.spec = COLUMN_SPECS[type];
    this.latestDatetime = nowSeconds + MAX_FUTURE_SECONDS;
  }

  /** Why `datetime` is refused, or null. NaN and infinities are not whole. */
  datetimeFault(datetime: number): DatetimeFault | null {
    if (!Number.isInteger(datetime)) return "not_whole";
    if (datetime < MIN_DATETIME) return "too_early";
    if (datetime > this.latestDatetime) return "too_late";
    return null;
  }

  /** Why `value` is refused for the type, or null; checked in this order. */
  valueFault(value: number): ValueFault | null {
    const { integer, min, max } = this.spec;
    if (!Number.isFinite(value)) return "not_finite";
    if (integer && !Number.isInteger(value)) return "not_whole";
    if (value < min || value > max) return "out_of_range";
    return null;
  }

  qualityValid(quality: number): boolean {
    return Number.isInteger(quality) && quality >= 0 && quality <= MAX_QUALITY;
  }

  /** All three rules at once, for a row the CSV fast path parsed itself (it hands any refusal to the slow path). */
  accepts(datetime: number, value: number, quality: number): boolean {
    return this.datetimeFault(datetime) === null && this.valueFault(value) === null && this.qualityValid(quality);
  }
}

/** The value a sample is stored with: -0 becomes 0, as a lone -0 would force its day into raw float64 encoding. */
export const storedValue = (value: number): number => value + 0;
