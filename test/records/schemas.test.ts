import { describe, expect, it } from "vitest";
import { INSIGHT_CATALOGUE } from "../../src/records/insights/catalogue";
import {
  INSIGHT_REQUEST_LIMITS,
  InsightRequestSchema,
  InsightResponseSchema,
  selectInsight,
  toInsightResponse,
} from "../../src/records/insights/select";
import { emptyInput, flatPast } from "./build-input";

const valid = emptyInput({
  today_triggers: ["CAFFEINE"],
  today_metrics: { sleep_duration: 372, note: "anything" },
  past_daily_metrics: flatPast({ sleep_duration: 410 }),
  past_triggers: { "2024-03-01": ["ALCOHOL"] },
  previous_research_insight_ids: ["ri_general_habits_01"],
});

const many = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));

describe("InsightRequestSchema", () => {
  it("accepts a contract-shaped body", () => {
    const result = InsightRequestSchema.safeParse(valid);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
  });

  it.each(["day", "week", "DAY", "WEEK", "Day", "24h", "HH:mm", "", "month"])(
    "accepts time_format %j",
    (timeFormat) => {
      expect(InsightRequestSchema.safeParse({ ...valid, time_format: timeFormat }).success).toBe(true);
    },
  );

  const { listItems, stringLength, metricKeys, dayKeys } = INSIGHT_REQUEST_LIMITS;
  it.each([
    ["a missing field", (({ past_triggers: _, ...rest }) => rest)(valid), "past_triggers"],
    ["a time_format that is not a string", { ...valid, time_format: 1 }, "time_format"],
    ["a null time_format", { ...valid, time_format: null }, "time_format"],
    ["a non-string trigger", { ...valid, today_triggers: [1] }, "today_triggers.0"],
    ["too many triggers", { ...valid, today_triggers: many(listItems + 1, () => "X") }, "today_triggers"],
    ["too long a trigger", { ...valid, today_triggers: ["x".repeat(stringLength + 1)] }, "today_triggers.0"],
    [
      "too many previous ids",
      { ...valid, previous_research_insight_ids: many(listItems + 1, String) },
      "previous_research_insight_ids",
    ],
    ["an array for today_metrics", { ...valid, today_metrics: [1] }, "today_metrics"],
    [
      "too many metrics",
      { ...valid, today_metrics: Object.fromEntries(many(metricKeys + 1, (i) => `m${i}`).map((k) => [k, 1])) },
      "today_metrics",
    ],
    [
      "too many past days",
      { ...valid, past_daily_metrics: Object.fromEntries(many(dayKeys + 1, (i) => `d${i}`).map((k) => [k, {}])) },
      "past_daily_metrics",
    ],
    ["too long a day key", { ...valid, past_triggers: { ["x".repeat(stringLength + 1)]: [] } }, "past_triggers"],
  ])("rejects %s", (_, body, field) => {
    const result = InsightRequestSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(
      result.error?.issues.map((i) => i.path.join(".")).some((p) => p.startsWith(field)),
      JSON.stringify(result.error?.issues),
    ).toBe(true);
  });
});

describe("InsightResponseSchema", () => {
  it("validates the response built from a selection", () => {
    const selection = selectInsight(valid, INSIGHT_CATALOGUE);
    if (!selection) throw new Error("expected a selection");
    const body = toInsightResponse(selection, {
      id: "5f0c1d52-8a4e-4a4e-9a57-2f7f1f0b6a11",
      date: "2024-03-09",
      created: "2024-03-09T18:02:11.000Z",
    });
    const result = InsightResponseSchema.safeParse(body);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    expect(body.researchInsight).toEqual({
      id: selection.insight.id,
      title: selection.insight.title,
      text: selection.insight.text,
    });
    expect(body.timeFormat).toBe("day");
    expect(body.reasons.length).toBeGreaterThan(0);
  });
});

describe("hostile keys", () => {
  it("ignores prototype keys in metrics after parsing a JSON body", () => {
    const raw = JSON.parse(
      '{"time_format":"day","today_triggers":["constructor","__proto__"],"today_metrics":{"__proto__":{"sleep_duration":100},"constructor":5,"toString":1},"past_daily_metrics":{"__proto__":{"sleep_hrv":1}},"past_triggers":{},"previous_research_insight_ids":[]}',
    );
    const parsed = InsightRequestSchema.safeParse(raw);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    if (!parsed.success) return;
    const selection = selectInsight(parsed.data, INSIGHT_CATALOGUE);
    expect(selection?.score).toBe(0);
    expect(selection?.metricsUsed).toEqual([]);
  });
});
