/** The statistic types of GET /v1/statistics (contract §8) and the periods a document can summarize. */

export const STATISTIC_TYPES = [
  "STRESS_DURATION",
  "STRESS_RECOVERY",
  "STRESS_FREQUENCY",
  "INTENSE_ACTIVITY",
  "DAYTIME_RESTING_HEART_RATE",
  "SLEEP_HRV",
  "SLEEP_DURATION",
  "SLEEP_REGULARITY",
  "SLEEP_STAGES",
  "SLEEP_CYCLES",
] as const;
export type StatisticType = (typeof STATISTIC_TYPES)[number];

export const TIME_SPANS = ["DAY", "WEEK", "MONTH"] as const;
export type TimeSpan = (typeof TIME_SPANS)[number];

export const isStatisticType = (value: string): value is StatisticType =>
  (STATISTIC_TYPES as readonly string[]).includes(value);
