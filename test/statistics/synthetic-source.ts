import type { EpochSource } from "../../src/statistics/engine";
import { buildEpochs, lowerBound, type SeriesInput, type EpochSource as SourceType } from "../../src/statistics/epochs";
import type { SyntheticData } from "../../src/statistics/synthetic";

const SOURCES: SourceType[] = [
  "HEART_RATE",
  "HEART_RATE_GRAPH",
  "HEART_BEAT",
  "RESTING_HEART_RATE",
  "ACTIVITY_COUNT",
  "ACTIVITY_CADENCE",
  "MOTION_GRAPH",
];

/** Epoch tables straight from generated series (the UserStore's source without the store): for pure tests. */
export function syntheticSource(data: SyntheticData): EpochSource {
  const sessions = data.sessions.map((s) => ({
    start: Date.parse(s.startDatetime) / 1000,
    end: Date.parse(s.endDatetime) / 1000,
    type: s.type,
  }));
  return {
    table(from, to) {
      const series: Partial<Record<SourceType, SeriesInput>> = {};
      for (const type of SOURCES) {
        const s = data.series[type];
        if (!s) continue;
        const a = lowerBound(s.seconds, from);
        const b = lowerBound(s.seconds, to);
        series[type] = {
          seconds: s.seconds.subarray(a, b),
          values: s.values.subarray(a, b),
          quality: s.quality.subarray(a, b),
        };
      }
      return buildEpochs({ start: from, end: to, series, sessions });
    },
  };
}
