import { describe, expect, it } from "vitest";
import { COLUMN_SPECS, isMeasurementType, MEASUREMENT_TYPES } from "../../src/measurements";

describe("measurement types", () => {
  it("lists the contract's ten types in its order", () => {
    expect(MEASUREMENT_TYPES).toEqual([
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
    ]);
  });

  it("recognises only exact type names", () => {
    expect(isMeasurementType("HEART_RATE")).toBe(true);
    expect(isMeasurementType("heart_rate")).toBe(false);
    expect(isMeasurementType("STEPS")).toBe(false);
  });

  it("gives exactly the graph types no quality column", () => {
    const withoutQuality = MEASUREMENT_TYPES.filter((t) => !COLUMN_SPECS[t].hasQuality);
    expect(withoutQuality).toEqual(["HEART_RATE_GRAPH", "MOTION_GRAPH"]);
    for (const type of MEASUREMENT_TYPES) {
      const spec = COLUMN_SPECS[type];
      expect(spec.columns).toEqual(
        spec.hasQuality ? ["datetime", "value", "quality_indicator"] : ["datetime", "value"],
      );
      expect(spec.min).toBeLessThan(spec.max);
    }
  });

  it("uses integers for counts, codes, bpm and RR intervals; decimals for the rest", () => {
    const integers = MEASUREMENT_TYPES.filter((t) => COLUMN_SPECS[t].integer);
    expect(integers).toEqual([
      "HEART_BEAT",
      "HEART_RATE",
      "HEART_RATE_GRAPH",
      "RESTING_HEART_RATE",
      "ACTIVITY_COUNT",
      "ACTIVITY_TYPE",
    ]);
  });
});
