/**
 * The daytime statistics of one local day (GET /v1/statistics): DAYTIME_RESTING_HEART_RATE, INTENSE_ACTIVITY and the
 * three stress types. Each reads the day's epoch table (src/statistics/epochs.ts); docs/statistics.md
 * describes the methods.
 */
import { INTENSE_ACTIVITY_VERSION } from "./intense-activity";
import { RESTING_HEART_RATE_VERSION } from "./resting-heart-rate";
import { STRESS_VERSION } from "./stress";

export * from "./inactivity";
export * from "./intense-activity";
export * from "./resting-heart-rate";
export * from "./stress";

/** The algorithm version of each type, reported as `metadata.version`; bump it when a result can change. */
export const DAY_VERSIONS: {
  STRESS_DURATION: string;
  STRESS_FREQUENCY: string;
  STRESS_RECOVERY: string;
  INTENSE_ACTIVITY: string;
  DAYTIME_RESTING_HEART_RATE: string;
} = {
  STRESS_DURATION: STRESS_VERSION,
  STRESS_FREQUENCY: STRESS_VERSION,
  STRESS_RECOVERY: STRESS_VERSION,
  INTENSE_ACTIVITY: INTENSE_ACTIVITY_VERSION,
  DAYTIME_RESTING_HEART_RATE: RESTING_HEART_RATE_VERSION,
};
