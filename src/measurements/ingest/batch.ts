import { badRequest } from "../../lib/errors";
import { DayAccumulator } from "../accumulator";
import { SampleRules, storedValue } from "../sample-rules";
import { DEFAULT_QUALITY, type MeasurementType } from "../types";

/**
 * The columnar JSON batch of real-time sync (POST /v1/measurement), once its shape is valid: checked sample by
 * sample by the CSV upload's rules (sample-rules.ts) and collected by day, ready for `storeUpload`. Messages name the
 * offending element index.
 */

/** The batch's datetime rule in words; the route's schema words its outer bounds the same way. */
export const BATCH_DATETIME_RULE = "datetime must be whole Unix seconds from 2000-01-01 to one day from now";
/** The batch's quality rule in words, shared with the route's schema. */
export const BATCH_QUALITY_RULE = "must be an integer 0-4";

export interface BatchSamples {
  type: MeasurementType;
  /** Unix seconds of each sample; or `start` plus `interval` (default 1) seconds between samples. */
  datetimes?: number[];
  start?: number;
  interval?: number;
  values: number[];
  /** Required for types with a quality column; ignored for the graph types. */
  quality?: number[];
}

/** Checks every sample by the CSV upload's rules and collects them by day. Messages name the offending index. */
export function accumulateBatch(batch: BatchSamples, nowSeconds: number): DayAccumulator {
  const rules = new SampleRules(batch.type, nowSeconds);
  const spec = rules.spec;
  const n = batch.values.length;
  if ((batch.datetimes === undefined) === (batch.start === undefined)) {
    throw badRequest("give either datetimes or start (with an optional interval)");
  }
  if (batch.datetimes && batch.datetimes.length !== n)
    throw badRequest("datetimes and values must have the same length");
  if (spec.hasQuality && batch.quality === undefined) throw badRequest(`quality is required for ${batch.type}`);
  if (batch.quality && batch.quality.length !== n) throw badRequest("quality and values must have the same length");
  const interval = batch.interval ?? 1;
  const accumulator = new DayAccumulator();
  for (let i = 0; i < n; i++) {
    const datetime = batch.datetimes ? (batch.datetimes[i] as number) : (batch.start as number) + i * interval;
    const value = batch.values[i] as number;
    const quality = batch.quality && spec.hasQuality ? (batch.quality[i] as number) : DEFAULT_QUALITY;
    const at = batch.datetimes ? `datetimes[${i}]` : `sample ${i}`;
    if (rules.datetimeFault(datetime) !== null) throw badRequest(`${at}: ${BATCH_DATETIME_RULE}`);
    if (rules.valueFault(value) !== null) {
      throw badRequest(
        `values[${i}]: must be ${spec.integer ? "an integer" : "a number"} from ${spec.min} to ${spec.max} ${spec.unit}`,
      );
    }
    if (!rules.qualityValid(quality)) throw badRequest(`quality[${i}]: ${BATCH_QUALITY_RULE}`);
    accumulator.add(datetime, storedValue(value), quality);
  }
  return accumulator;
}
