import type { MeasurementType } from "../measurements/types";

/**
 * How each measurement type is coded in a FHIR R4 Observation (fhir.ts). LOINC where a code names the measurement
 * (http://loinc.org); otherwise the NOWATCH measurement-type CodeSystem, whose codes are the type names. fhir.ts
 * adds the NOWATCH coding to every Observation as well, so a consumer can always map a resource back to its type.
 * Units are UCUM codes (http://unitsofmeasure.org, The Unified Code for Units of Measure).
 *
 * - 8867-4 Heart rate, 9279-1 Respiratory rate, 8310-5 Body temperature: the codes the R4 vital signs profiles fix
 *   (hl7.org/fhir/R4/observation-vitalsigns.html), with their units `/min`, `/min` and `Cel`.
 * - 40443-4 Heart rate --resting: in the R4 vital-signs heart rate value set.
 * - HEART_RATE_GRAPH is a heart rate too (the device's display series, bpm): 8867-4, told apart by its NOWATCH coding.
 * - HEART_BEAT (RR interval, ms), ACTIVITY_CADENCE (steps/min): no LOINC term we could verify for a beat-to-beat RR
 *   interval or a walking cadence, so NOWATCH codes. ACTIVITY_COUNT and MOTION_GRAPH are on the device's own scale
 *   (docs/statistics.md), not steps, and ACTIVITY_TYPE is a NOWATCH activity code: NOWATCH codes.
 * - UCUM: counted rates are `/min` (as the vital signs profiles write beats and breaths per minute); `{count}` is an
 *   annotated unity for movement counts; `1` (unity) for the activity code and the unitless motion intensity.
 */

export const LOINC = "http://loinc.org";
export const UCUM = "http://unitsofmeasure.org";
/** The NOWATCH measurement-type CodeSystem; fixed, not per deployment, so that its codes mean the same everywhere. */
export const NOWATCH_MEASUREMENT_TYPES = "https://api.nowatch.tech/fhir/CodeSystem/measurement-type";

export interface FhirCode {
  /** The code system of the primary coding. */
  readonly system: string;
  readonly code: string;
  readonly display: string;
  /** UCUM code of the value. */
  readonly unit: string;
}

const loinc = (code: string, display: string, unit: string): FhirCode => ({ system: LOINC, code, display, unit });
const nowatch = (code: MeasurementType, display: string, unit: string): FhirCode => ({
  system: NOWATCH_MEASUREMENT_TYPES,
  code,
  display,
  unit,
});

export const FHIR_CODES: Readonly<Record<MeasurementType, FhirCode>> = {
  HEART_BEAT: nowatch("HEART_BEAT", "RR interval (beat to beat)", "ms"),
  HEART_RATE: loinc("8867-4", "Heart rate", "/min"),
  HEART_RATE_GRAPH: loinc("8867-4", "Heart rate", "/min"),
  RESPIRATION_RATE: loinc("9279-1", "Respiratory rate", "/min"),
  RESTING_HEART_RATE: loinc("40443-4", "Heart rate --resting", "/min"),
  TEMPERATURE: loinc("8310-5", "Body temperature", "Cel"),
  ACTIVITY_COUNT: nowatch("ACTIVITY_COUNT", "Activity count (device scale)", "{count}"),
  ACTIVITY_TYPE: nowatch("ACTIVITY_TYPE", "Activity type (NOWATCH activity code)", "1"),
  ACTIVITY_CADENCE: nowatch("ACTIVITY_CADENCE", "Step cadence", "/min"),
  MOTION_GRAPH: nowatch("MOTION_GRAPH", "Motion intensity (device scale)", "1"),
};

/** Display of the NOWATCH coding, added next to a LOINC coding. */
export const NOWATCH_DISPLAY: Readonly<Record<MeasurementType, string>> = {
  HEART_BEAT: FHIR_CODES.HEART_BEAT.display,
  HEART_RATE: "Heart rate",
  HEART_RATE_GRAPH: "Heart rate graph (device display series)",
  RESPIRATION_RATE: "Respiration rate",
  RESTING_HEART_RATE: "Resting heart rate",
  TEMPERATURE: "Temperature",
  ACTIVITY_COUNT: FHIR_CODES.ACTIVITY_COUNT.display,
  ACTIVITY_TYPE: FHIR_CODES.ACTIVITY_TYPE.display,
  ACTIVITY_CADENCE: FHIR_CODES.ACTIVITY_CADENCE.display,
  MOTION_GRAPH: FHIR_CODES.MOTION_GRAPH.display,
};

/**
 * Observation category (http://terminology.hl7.org/CodeSystem/observation-category, R4): the heart, breathing and
 * temperature series are `vital-signs`, the movement series `activity` ("observations that measure or record any
 * bodily activity that enhances or maintains physical fitness").
 */
export const CATEGORY: Readonly<Record<MeasurementType, "vital-signs" | "activity">> = {
  HEART_BEAT: "vital-signs",
  HEART_RATE: "vital-signs",
  HEART_RATE_GRAPH: "vital-signs",
  RESPIRATION_RATE: "vital-signs",
  RESTING_HEART_RATE: "vital-signs",
  TEMPERATURE: "vital-signs",
  ACTIVITY_COUNT: "activity",
  ACTIVITY_TYPE: "activity",
  ACTIVITY_CADENCE: "activity",
  MOTION_GRAPH: "activity",
};
