/**
 * The names an insight request may carry (contract §5 leaves `today_metrics` and the trigger strings undocumented).
 * Metric names follow the statistics types (§12, e.g. SLEEP_DURATION → `sleep_duration`) plus a few night-time
 * signals; units are this project's reading of them (docs/records.md). Anything else in a request is ignored.
 */

export interface MetricSpec {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  /** The smallest change from the personal baseline that counts as a trend, in `unit`. */
  readonly trendDelta: number;
  /** A plausible everyday value, used by documentation and tests to build examples. */
  readonly typical: number;
}

export const INSIGHT_METRICS = [
  {
    name: "sleep_duration",
    unit: "min",
    description: "time asleep in the main sleep period",
    trendDelta: 30,
    typical: 420,
  },
  {
    name: "sleep_regularity",
    unit: "pts",
    description: "sleep timing regularity score, 0–100",
    trendDelta: 10,
    typical: 75,
  },
  {
    name: "sleep_hrv",
    unit: "ms",
    description: "heart rate variability during sleep (RMSSD)",
    trendDelta: 5,
    typical: 45,
  },
  {
    name: "sleep_cycles",
    unit: "cycles",
    description: "complete sleep cycles in the night",
    trendDelta: 1,
    typical: 4,
  },
  { name: "resting_heart_rate", unit: "bpm", description: "daytime resting heart rate", trendDelta: 3, typical: 60 },
  { name: "stress_duration", unit: "min", description: "time above the homeostasis band", trendDelta: 30, typical: 90 },
  {
    name: "stress_frequency",
    unit: "episodes",
    description: "separate stress episodes in the day",
    trendDelta: 2,
    typical: 5,
  },
  {
    name: "stress_recovery",
    unit: "min",
    description: "average time back to the band after an episode",
    trendDelta: 5,
    typical: 20,
  },
  { name: "intense_activity", unit: "min", description: "minutes of intense activity", trendDelta: 15, typical: 25 },
  { name: "steps", unit: "steps", description: "step count", trendDelta: 2000, typical: 7000 },
  { name: "respiration_rate", unit: "br/min", description: "breathing rate during sleep", trendDelta: 1, typical: 15 },
  {
    name: "temperature_deviation",
    unit: "°C",
    description: "night skin temperature minus the personal norm",
    trendDelta: 0.3,
    typical: 0,
  },
] as const satisfies readonly MetricSpec[];

export type MetricName = (typeof INSIGHT_METRICS)[number]["name"];

export const INSIGHT_TRIGGERS = [
  { name: "CAFFEINE", description: "coffee, tea, energy drinks" },
  { name: "ALCOHOL", description: "alcoholic drinks" },
  { name: "LATE_MEAL", description: "a large meal close to bedtime" },
  { name: "SCREEN_TIME", description: "screens in the evening" },
  { name: "EXERCISE", description: "a workout or sport session" },
  { name: "MEDITATION", description: "a meditation or mindfulness session" },
  { name: "BREATHWORK", description: "a paced-breathing exercise" },
  { name: "TRAVEL", description: "travelling, possibly across time zones" },
  { name: "WORK_STRESS", description: "a demanding or stressful workday" },
  { name: "SOCIAL", description: "time with friends or family" },
  { name: "NATURE", description: "time outdoors in green or natural spaces" },
  { name: "NAP", description: "a daytime nap" },
  { name: "ILLNESS", description: "feeling unwell" },
] as const satisfies readonly { name: string; description: string }[];

export type TriggerName = (typeof INSIGHT_TRIGGERS)[number]["name"];

/** Other spellings for the same metric; matched after normalization. Maps, not objects: no prototype keys. */
const METRIC_ALIASES: ReadonlyMap<string, MetricName> = new Map<string, MetricName>(
  Object.entries({
    daytime_resting_heart_rate: "resting_heart_rate",
    rhr: "resting_heart_rate",
    hrv: "sleep_hrv",
    respiratory_rate: "respiration_rate",
    skin_temperature_deviation: "temperature_deviation",
    step_count: "steps",
  } satisfies Record<string, MetricName>),
);

/** Other spellings for the same trigger; matched after normalization. */
const TRIGGER_ALIASES: ReadonlyMap<string, TriggerName> = new Map<string, TriggerName>(
  Object.entries({
    COFFEE: "CAFFEINE",
    WORKOUT: "EXERCISE",
    SPORT: "EXERCISE",
    SCREENS: "SCREEN_TIME",
    LATE_DINNER: "LATE_MEAL",
    SOCIALIZING: "SOCIAL",
    JET_LAG: "TRAVEL",
    OUTDOORS: "NATURE",
    BREATHING: "BREATHWORK",
    SICK: "ILLNESS",
  } satisfies Record<string, TriggerName>),
);

const metricByName: ReadonlyMap<string, MetricSpec & { name: MetricName }> = new Map(
  INSIGHT_METRICS.map((spec) => [spec.name, spec]),
);
const triggerNames: ReadonlyMap<string, TriggerName> = new Map(INSIGHT_TRIGGERS.map((t) => [t.name, t.name]));

export function metricSpec(name: MetricName): MetricSpec {
  const spec = metricByName.get(name);
  if (!spec) throw new Error(`unknown metric ${name}`);
  return spec;
}

export function isMetricName(name: string): name is MetricName {
  return metricByName.has(name);
}

export function isTriggerName(name: string): name is TriggerName {
  return triggerNames.has(name);
}

/** `sleepDuration`, `Sleep-Duration`, `SLEEP_DURATION` → `sleep_duration`; aliases resolved; unknown → undefined. */
export function normalizeMetricName(raw: string): MetricName | undefined {
  const key = raw
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return metricByName.get(key)?.name ?? METRIC_ALIASES.get(key);
}

/** `caffeine`, `Late meal`, `late-meal` → `CAFFEINE`, `LATE_MEAL`; aliases resolved; unknown → undefined. */
export function normalizeTrigger(raw: string): TriggerName | undefined {
  const key = raw
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "_");
  return triggerNames.get(key) ?? TRIGGER_ALIASES.get(key);
}
