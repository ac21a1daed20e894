/**
 * The ten measurement types of the contract (§4) and, per type, the CSV columns and value rules of an upload
 * (§11 "Measurements Context"; the choices the contract leaves open are written down in docs/measurements.md).
 */
export const MEASUREMENT_TYPES = [
  "HEART_BEAT",
  "HEART_RATE",
  "HEART_RATE_GRAPH",
  "RESPIRATION_RATE",
  "RESTING_HEART_RATE",
  "TEMPERATURE",
  "ACTIVITY_COUNT",
  "ACTIVITY_TYPE",
  "ACTIVITY_CADENCE",
  "MOTION_GRAPH",
] as const;

export type MeasurementType = (typeof MEASUREMENT_TYPES)[number];

export function isMeasurementType(value: string): value is MeasurementType {
  return (MEASUREMENT_TYPES as readonly string[]).includes(value);
}

/** The engine's day: the API's one definition (src/lib/time.ts). */
export { SECONDS_PER_DAY } from "../lib/time";

/** Oldest accepted sample: 2000-01-01T00:00:00Z. Anything older is a unit or clock error, not wearable data. */
export const MIN_DATETIME = 946_684_800;
/** How far past "now" a sample may lie: one day absorbs device clock drift and time-zone mistakes. */
export const MAX_FUTURE_SECONDS = 86_400;
/** Quality indicator bounds (contract §4: "QUALITY (0-4)"; 4 is best). */
export const MAX_QUALITY = 4;

export interface ColumnSpec {
  /** CSV column names in order, as a header row would name them. */
  readonly columns: readonly string[];
  /** False for the graph types: their CSV has no quality column and every sample is reported with quality 4. */
  readonly hasQuality: boolean;
  /** Integer types reject fractional values ("75.5"); "75.0" is still the integer 75. */
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
  /** Unit, for error messages and the docs. */
  readonly unit: string;
}

/** Quality stored for types without a quality column: the graph series are already-filtered, device-final data. */
export const DEFAULT_QUALITY = 4;

const WITH_QUALITY = ["datetime", "value", "quality_indicator"] as const;
const WITHOUT_QUALITY = ["datetime", "value"] as const;

const spec = (hasQuality: boolean, integer: boolean, min: number, max: number, unit: string): ColumnSpec => ({
  columns: hasQuality ? WITH_QUALITY : WITHOUT_QUALITY,
  hasQuality,
  integer,
  min,
  max,
  unit,
});

/** Largest int32: ACTIVITY_COUNT has no natural bound, but counts above it are not sensor data. */
const INT32_MAX = 2_147_483_647;

export const COLUMN_SPECS: Readonly<Record<MeasurementType, ColumnSpec>> = {
  // RR interval in decimal milliseconds. The guide calls the value a "hex string", but its example `800` read as hex
  // would be 2048 ms (29 bpm) next to a 75 bpm HEART_RATE example; 800 ms is 75 bpm, so the value is decimal.
  HEART_BEAT: spec(true, true, 0, 10_000, "ms"),
  HEART_RATE: spec(true, true, 0, 300, "bpm"),
  HEART_RATE_GRAPH: spec(false, true, 0, 300, "bpm"),
  RESPIRATION_RATE: spec(true, false, 0, 100, "breaths/min"),
  RESTING_HEART_RATE: spec(true, true, 0, 300, "bpm"),
  TEMPERATURE: spec(true, false, -50, 100, "°C"),
  ACTIVITY_COUNT: spec(true, true, 0, INT32_MAX, "count"),
  // Activity codes share the session activity numbering (1-122); 0 means "no activity recognised".
  ACTIVITY_TYPE: spec(true, true, 0, 122, "activity code"),
  ACTIVITY_CADENCE: spec(true, false, 0, 500, "steps/min"),
  MOTION_GRAPH: spec(false, false, 0, 1_000_000, "motion intensity"),
};
