import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { numericEnum, stringEnum } from "../../src/records/enum-helpers";
import {
  ACTIVITY_TYPE_MAX,
  ActivityOrigin,
  ActivityTypeSchema,
  CheckinContext,
  CheckinOrigin,
  DayFeedbackTypeSchema,
  DayFeedbackValue,
  IntentionTag,
  OnboardingIntention,
  Reactivity,
  RelatedFeeling,
  SessionTypeSchema,
  SubjectiveInputType,
  sessionKind,
  Valence,
} from "../../src/records/enums";

function accepts(schema: z.ZodType, value: unknown): boolean {
  return schema.safeParse(value).success;
}

const numeric = { ActivityOrigin, SubjectiveInputType, DayFeedbackValue, IntentionTag, OnboardingIntention };
const strings = { CheckinOrigin, Reactivity, Valence, RelatedFeeling, CheckinContext };

describe("numeric enums", () => {
  it.each(Object.entries(numeric))("%s accepts every listed value and only those", (_, e) => {
    for (const value of e.values) expect(accepts(e.schema, value), `value ${value}`).toBe(true);
    const min = Math.min(...e.values);
    const max = Math.max(...e.values);
    for (const bad of [min - 1, max + 1, min + 0.5, String(min), null, undefined, Number.NaN]) {
      expect(accepts(e.schema, bad), `value ${String(bad)}`).toBe(false);
    }
  });

  it.each(Object.entries(numeric))("%s documents every value with a unique name", (_, e) => {
    const names = e.entries.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of e.entries) expect(entry.description.length, entry.name).toBeGreaterThanOrEqual(3);
  });

  it("keeps the numbers the contract and the guides give", () => {
    expect(ActivityOrigin.values).toEqual([0, 1, 2, 3, 4, 5]);
    expect(SubjectiveInputType.values).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(SubjectiveInputType.byName.DAY).toBe(5);
    expect(SubjectiveInputType.byName.SLEEP).toBe(6);
    expect(DayFeedbackValue.byName).toEqual({ VERY_BAD: 1, BAD: 2, OKAY: 3, GOOD: 4, VERY_GOOD: 5 });
    expect(IntentionTag.byName).toEqual({ CALM: 0, FOCUS: 1, ENERGY: 2, POSITIVITY: 3 });
    expect(IntentionTag.entries.filter((e) => "deprecated" in e && e.deprecated).map((e) => e.name)).toEqual([
      "CALM",
      "FOCUS",
    ]);
    expect(OnboardingIntention.values).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("gives a readable error", () => {
    const result = ActivityOrigin.schema.safeParse(9);
    expect(result.error?.issues[0]?.message).toBe("origin must be one of 0, 1, 2, 3, 4, 5");
  });

  it("refuses a non-contiguous definition", () => {
    const gap = [
      { value: 0, name: "A", description: "a" },
      { value: 2, name: "B", description: "b" },
    ] as const;
    expect(() => numericEnum("gap", gap)).toThrow(/contiguous/);
  });
});

describe("string enums", () => {
  it.each(Object.entries(strings))("%s accepts every listed value and only those", (_, e) => {
    for (const value of e.values) expect(accepts(e.schema, value), value).toBe(true);
    const first = e.values[0] ?? "";
    for (const bad of [first.toLowerCase(), `${first}_X`, "", 1, null]) {
      expect(accepts(e.schema, bad), `value ${String(bad)}`).toBe(false);
    }
    expect(new Set(e.values).size).toBe(e.values.length);
  });

  it("has the sizes and examples the brief and the Research API hints call for", () => {
    expect(CheckinOrigin.values).toEqual(["CROWN_PRESS", "APP", "NOTIFICATION", "WIDGET"]);
    expect(Reactivity.values).toContain("CENTERED");
    expect(Valence.values).toEqual(["VERY_NEGATIVE", "NEGATIVE", "NEUTRAL", "POSITIVE", "VERY_POSITIVE"]);
    expect(RelatedFeeling.values.length).toBeGreaterThanOrEqual(20);
    expect(RelatedFeeling.values).toEqual(expect.arrayContaining(["HAPPY", "MOTIVATED", "GRATEFUL", "CALM"]));
    expect(CheckinContext.values.length).toBeGreaterThanOrEqual(15);
    expect(CheckinContext.values).toEqual(expect.arrayContaining(["WORKING", "MEETING", "COMMUTING"]));
  });

  it("gives a readable error", () => {
    const result = Valence.schema.safeParse("GREAT");
    expect(result.error?.issues[0]?.message).toBe(
      "valence must be one of VERY_NEGATIVE, NEGATIVE, NEUTRAL, POSITIVE, VERY_POSITIVE",
    );
  });

  it("builds from entries", () => {
    const e = stringEnum("x", [{ value: "A", description: "a" }]);
    expect(e.values).toEqual(["A"]);
    expect(accepts(e.schema, "A")).toBe(true);
  });
});

describe("session type", () => {
  it.each([
    [0, true],
    [1, true],
    [117, true],
    [ACTIVITY_TYPE_MAX, true],
    [123, false],
    [-1, false],
    [1.5, false],
    ["1", false],
  ])("SessionTypeSchema(%s) → %s", (value, ok) => {
    expect(accepts(SessionTypeSchema, value)).toBe(ok);
  });

  it("separates intentions from activities", () => {
    expect(sessionKind(0)).toBe("intention");
    expect(sessionKind(1)).toBe("activity");
    expect(sessionKind(122)).toBe("activity");
    expect(accepts(ActivityTypeSchema, 0)).toBe(false);
    expect(accepts(ActivityTypeSchema, 1)).toBe(true);
    expect(accepts(ActivityTypeSchema, 123)).toBe(false);
  });

  it("accepts the whole SubjectiveInputType enum (0-6) as day feedback type", () => {
    expect([-1, 0, 4, 5, 6, 7].map((v) => accepts(DayFeedbackTypeSchema, v))).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
  });
});
