import { describe, expect, it } from "vitest";
import { COLUMN_SPECS, decodeChunk, MAX_FUTURE_SECONDS, MEASUREMENT_TYPES, MIN_DATETIME } from "../../src/measurements";
import { accumulateBatch } from "../../src/measurements/ingest/batch";
import { SampleRules, storedValue } from "../../src/measurements/sample-rules";
import { csvError, NOW, parseText } from "./csv-helpers";

/** The per-sample rules both ingest paths share (src/measurements/sample-rules.ts), and that both paths obey them. */

const T = 1_672_531_200; // 2023-01-01T00:00:00Z, before NOW

describe("sample rules: datetime", () => {
  const rules = new SampleRules("HEART_RATE", NOW);

  it("accepts whole seconds from 2000-01-01 to one day after now, both ends included", () => {
    expect(rules.latestDatetime).toBe(NOW + MAX_FUTURE_SECONDS);
    for (const datetime of [MIN_DATETIME, T, NOW, NOW + MAX_FUTURE_SECONDS]) {
      expect(rules.datetimeFault(datetime), String(datetime)).toBeNull();
    }
  });

  it("names the fault: not whole, too early, too late", () => {
    expect(rules.datetimeFault(T + 0.5)).toBe("not_whole");
    expect(rules.datetimeFault(Number.NaN)).toBe("not_whole");
    expect(rules.datetimeFault(Number.POSITIVE_INFINITY)).toBe("not_whole");
    expect(rules.datetimeFault(MIN_DATETIME - 1)).toBe("too_early");
    expect(rules.datetimeFault(-T)).toBe("too_early");
    expect(rules.datetimeFault(NOW + MAX_FUTURE_SECONDS + 1)).toBe("too_late");
    expect(rules.datetimeFault(T * 1000)).toBe("too_late");
  });
});

describe("sample rules: value", () => {
  it("accepts each type's range, both ends included, and refuses just outside it", () => {
    for (const type of MEASUREMENT_TYPES) {
      const rules = new SampleRules(type, NOW);
      const { min, max } = COLUMN_SPECS[type];
      expect(rules.valueFault(min), `${type} min`).toBeNull();
      expect(rules.valueFault(max), `${type} max`).toBeNull();
      expect(rules.valueFault(min - 1), `${type} below`).toBe("out_of_range");
      expect(rules.valueFault(max + 1), `${type} above`).toBe("out_of_range");
    }
  });

  it("refuses fractions for the integer types only; 75.0 is the integer 75", () => {
    for (const type of MEASUREMENT_TYPES) {
      const fault = new SampleRules(type, NOW).valueFault(50.5);
      expect(fault, type).toBe(COLUMN_SPECS[type].integer ? "not_whole" : null);
    }
    expect(new SampleRules("HEART_RATE", NOW).valueFault(75.0)).toBeNull();
  });

  it("refuses non-finite values first, whatever the type", () => {
    for (const type of MEASUREMENT_TYPES) {
      const rules = new SampleRules(type, NOW);
      for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        expect(rules.valueFault(value), `${type} ${value}`).toBe("not_finite");
      }
    }
  });

  it("checks integrality before the range", () => {
    expect(new SampleRules("HEART_RATE", NOW).valueFault(300.5)).toBe("not_whole");
  });

  it("stores -0 as 0 and leaves every other value as it is", () => {
    expect(Object.is(storedValue(-0), 0)).toBe(true);
    for (const value of [0, 1, -1, 36.6, -50, 5e-324]) expect(Object.is(storedValue(value), value)).toBe(true);
  });
});

describe("sample rules: quality", () => {
  const rules = new SampleRules("HEART_RATE", NOW);

  it("accepts the integers 0-4 only", () => {
    expect([0, 1, 2, 3, 4].every((q) => rules.qualityValid(q))).toBe(true);
    for (const q of [-1, 5, 2.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(rules.qualityValid(q), String(q)).toBe(false);
  });

  it("accepts a sample only when all three fields pass", () => {
    expect(rules.accepts(T, 75, 4)).toBe(true);
    expect(rules.accepts(MIN_DATETIME - 1, 75, 4)).toBe(false);
    expect(rules.accepts(T, 301, 4)).toBe(false);
    expect(rules.accepts(T, 75.5, 4)).toBe(false);
    expect(rules.accepts(T, 75, 5)).toBe(false);
  });
});

describe("sample rules: the CSV upload and the JSON batch decide alike", () => {
  /** [type, datetime, value, quality]: accepted or refused by both paths. */
  const samples: [string, (typeof MEASUREMENT_TYPES)[number], number, number, number][] = [
    ["a plain heart rate", "HEART_RATE", T, 75, 4],
    ["the oldest datetime", "HEART_RATE", MIN_DATETIME, 75, 0],
    ["the latest datetime", "HEART_RATE", NOW + MAX_FUTURE_SECONDS, 75, 4],
    ["a datetime before 2000", "HEART_RATE", MIN_DATETIME - 1, 75, 4],
    ["a datetime over a day ahead", "HEART_RATE", NOW + MAX_FUTURE_SECONDS + 1, 75, 4],
    ["milliseconds", "HEART_RATE", T * 1000, 75, 4],
    ["a fractional bpm", "HEART_RATE", T, 75.5, 4],
    ["a bpm over 300", "HEART_RATE", T, 301, 4],
    ["a decimal temperature", "TEMPERATURE", T, -49.5, 4],
    ["a temperature below -50", "TEMPERATURE", T, -50.5, 4],
    ["an activity code over 122", "ACTIVITY_TYPE", T, 123, 4],
    ["a negative count", "ACTIVITY_COUNT", T, -1, 4],
    ["a quality of 5", "HEART_RATE", T, 75, 5],
    ["a motion graph value", "MOTION_GRAPH", T, 12.25, 4],
  ];

  it.each(samples)("%s", (_, type, datetime, value, quality) => {
    const accepted = new SampleRules(type, NOW).accepts(datetime, value, quality);
    const hasQuality = COLUMN_SPECS[type].hasQuality;
    const row = hasQuality ? `${datetime},${value},${quality}\n` : `${datetime},${value}\n`;
    const batch = { type, datetimes: [datetime], values: [value], quality: hasQuality ? [quality] : undefined };
    if (accepted) {
      expect(parseText(type, row)).toEqual([[datetime, value, quality]]);
      const days = accumulateBatch(batch, NOW).finish().days;
      const stored = decodeChunk(days[0]?.chunk ?? new Uint8Array());
      expect([stored.seconds[0], stored.values[0], stored.quality[0]]).toEqual([datetime % 86_400, value, quality]);
    } else {
      expect(csvError(type, row).line).toBe(1);
      expect(() => accumulateBatch(batch, NOW)).toThrow(/^(datetimes|values|quality)\[0\]: /);
    }
  });

  it("both store -0 as 0", () => {
    expect(Object.is(parseText("TEMPERATURE", `${T},-0,4`)[0]?.[1], 0)).toBe(true);
    const days = accumulateBatch({ type: "TEMPERATURE", start: T, values: [-0], quality: [4] }, NOW).finish().days;
    expect(Object.is(decodeChunk(days[0]?.chunk ?? new Uint8Array()).values[0], 0)).toBe(true);
  });
});

describe("sample rules: each path words a refusal its own way", () => {
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("expected a refusal");
  };

  it("the CSV parser names the line and quotes the field", () => {
    expect(csvError("HEART_RATE", `${T},75,4\n${T},75.5,4\n`).message).toBe(
      'line 2: value must be an integer (bpm) (got "75.5")',
    );
    expect(csvError("HEART_RATE", `${T},75,9`).message).toBe(
      'line 1: quality_indicator must be an integer 0-4 (got "9")',
    );
  });

  it("the batch names the element index", () => {
    const batch =
      (values: number[], quality: number[], start = T) =>
      () =>
        accumulateBatch({ type: "HEART_RATE", start, values, quality }, NOW);
    expect(refusal(batch([75, 75.5], [4, 4]))).toBe("values[1]: must be an integer from 0 to 300 bpm");
    expect(refusal(batch([75], [9]))).toBe("quality[0]: must be an integer 0-4");
    expect(refusal(batch([75], [4], MIN_DATETIME - 1))).toBe(
      "sample 0: datetime must be whole Unix seconds from 2000-01-01 to one day from now",
    );
    const temperature = () =>
      accumulateBatch({ type: "TEMPERATURE", datetimes: [T, T * 1000], values: [36, 36], quality: [4, 4] }, NOW);
    expect(refusal(temperature)).toBe(
      "datetimes[1]: datetime must be whole Unix seconds from 2000-01-01 to one day from now",
    );
  });
});
