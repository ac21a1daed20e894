/** The sleep statistics: pure algorithms over the epoch table (docs/statistics.md, the sleep sections). */
export { cyclesOf, SLEEP_CYCLES_KEYS, sleepCycles } from "./cycles";
export { SLEEP_DURATION_KEYS, sleepDuration } from "./duration";
export { MIN_SUCCESSIVE_DIFFERENCES, SLEEP_HRV_KEYS, sleepHrv } from "./hrv";
export { findNight, MIN_COVERAGE, MIN_PERIOD_HOURS, type Night, type NightResult, nightShortfall } from "./night";
export { dayPairSri, SLEEP_REGULARITY_KEYS, SRI_DAY_PAIRS, SRI_MIN_DAY_PAIRS, sleepRegularity } from "./regularity";
export {
  NO_DATA,
  SLEEP,
  SLEEP_VERSIONS,
  STAGE_DEEP,
  STAGE_LIGHT,
  STAGE_REM,
  STAGE_WAKE,
  WAKE,
} from "./shared";
export { classifySleepWake } from "./sleep-wake";
export { SLEEP_STAGES_KEYS, sleepStages } from "./stages";
