import { DayRangeQuerySchema as DayRangeSchema } from "../../lib/schemas";
import { MeasurementTypeSchema } from "../../measurements/schemas";

/**
 * Query schemas of the measurement routes. The shared wire shapes live in src/measurements/schemas.ts and the time
 * conversions in src/lib/time.ts; both are re-exported here for the read routes (get.ts, series.ts).
 */

export { dayToEpoch, epochToIso } from "../../lib/time";
export { MeasurementTypeSchema } from "../../measurements/schemas";

/** `type` plus `start_day`/`end_day` (YYYY-MM-DD, inclusive, UTC days, at most LIMITS.rangeDays). */
export const DayRangeQuerySchema = DayRangeSchema.safeExtend({ type: MeasurementTypeSchema });
