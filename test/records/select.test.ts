import { describe, expect, it } from "vitest";
import { INSIGHT_CATALOGUE } from "../../src/records/insights/catalogue";
import { BASELINE_WINDOW_DAYS } from "../../src/records/insights/context";
import { GENERAL_REASON, type InsightRequest, selectInsight } from "../../src/records/insights/select";
import type { InsightEntry } from "../../src/records/insights/types";
import { emptyInput, flatPast, PAST_DAYS } from "./build-input";

const byId = (id: string): InsightEntry => {
  const entry = INSIGHT_CATALOGUE.find((e) => e.id === id);
  if (!entry) throw new Error(`no entry ${id}`);
  return entry;
};

/** Selects repeatedly, feeding each answer back as previously shown, until nothing new is left. */
function exhaust(input: InsightRequest, options: { day?: string } = {}): string[] {
  const shown: string[] = [];
  for (let i = 0; i <= INSIGHT_CATALOGUE.length; i++) {
    const selection = selectInsight({ ...input, previous_research_insight_ids: shown }, INSIGHT_CATALOGUE, options);
    if (!selection) break;
    shown.push(selection.insight.id);
  }
  return shown;
}

const busyDay = emptyInput({
  today_triggers: ["CAFFEINE", "ALCOHOL"],
  today_metrics: { sleep_duration: 330, sleep_hrv: 36, resting_heart_rate: 63, stress_duration: 200 },
  past_daily_metrics: flatPast({ sleep_duration: 420, sleep_hrv: 46, resting_heart_rate: 57, stress_duration: 90 }),
  past_triggers: { "2024-03-07": ["CAFFEINE"] },
});

describe("selectInsight: determinism", () => {
  it("gives the same insight for the same input", () => {
    const a = selectInsight(busyDay, INSIGHT_CATALOGUE);
    const b = selectInsight(structuredClone(busyDay), INSIGHT_CATALOGUE);
    expect(a?.insight.id).toBeDefined();
    expect(b).toEqual(a);
  });

  it("does not depend on key or trigger order", () => {
    const reordered = emptyInput({
      ...busyDay,
      today_triggers: [...busyDay.today_triggers].reverse(),
      today_metrics: Object.fromEntries(Object.entries(busyDay.today_metrics).reverse()),
      past_daily_metrics: Object.fromEntries(Object.entries(busyDay.past_daily_metrics).reverse()),
    });
    expect(selectInsight(reordered, INSIGHT_CATALOGUE)?.insight.id).toBe(selectInsight(busyDay)?.insight.id);
  });

  it("rotates among equally good entries from one day to the next", () => {
    const days = Array.from({ length: 14 }, (_, i) => `2024-04-${String(i + 1).padStart(2, "0")}`);
    const picks = new Set(days.map((day) => selectInsight(emptyInput(), INSIGHT_CATALOGUE, { day })?.insight.id));
    expect(picks.size, [...picks].join(", ")).toBeGreaterThan(1);
    for (const id of picks) expect(byId(id ?? "").conditions).toBeUndefined();
  });
});

describe("selectInsight: previously shown", () => {
  it("never returns a previous id, and returns null once every eligible entry was shown", () => {
    const shown = exhaust(busyDay);
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown.length).toBeGreaterThan(5);
    expect(selectInsight({ ...busyDay, previous_research_insight_ids: shown }, INSIGHT_CATALOGUE)).toBeNull();
  });

  it("ignores unknown previous ids", () => {
    const input = { ...busyDay, previous_research_insight_ids: ["ri_does_not_exist_01", ""] };
    expect(selectInsight(input)?.insight.id).toBe(selectInsight(busyDay)?.insight.id);
  });

  it("serves specific entries before general ones", () => {
    const shown = exhaust(busyDay);
    const firstGeneral = shown.findIndex((id) => !byId(id).conditions);
    expect(firstGeneral).toBeGreaterThan(0);
    expect(
      shown.slice(firstGeneral).every((id) => !byId(id).conditions),
      shown.join(", "),
    ).toBe(true);
  });
});

describe("selectInsight: period", () => {
  it.each([
    ["day", "week"],
    ["DAY", "week"],
    ["week", "day"],
    ["WEEK", "day"],
  ] as const)("a %s request never gets a %s-only entry", (timeFormat, excluded) => {
    const shown = exhaust({ ...busyDay, time_format: timeFormat });
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((id) => byId(id).period === excluded)).toEqual([]);
  });

  it("reports the normalized period", () => {
    expect(selectInsight({ ...busyDay, time_format: "WEEK" })?.period).toBe("week");
  });
});

describe("selectInsight: conditions", () => {
  const only = (id: string) => INSIGHT_CATALOGUE.filter((e) => e.id === id);

  it("reads trends against the mean of past days", () => {
    const input = emptyInput({
      today_metrics: { resting_heart_rate: 62 },
      past_daily_metrics: {
        "2024-03-01": { resting_heart_rate: 54 },
        "2024-03-02": { resting_heart_rate: 56 },
        "2024-03-03": { resting_heart_rate: 58 },
      },
    });
    const selection = selectInsight(input, only("ri_rhr_trend_01"));
    expect(selection?.matched).toEqual(["resting_heart_rate 62 bpm is 6 bpm above your 3-day average of 56 bpm"]);
    expect(selection?.metricsUsed).toEqual([
      { metric: "resting_heart_rate", unit: "bpm", today: 62, baseline: 56, baselineDays: 3 },
    ]);
    expect(selectInsight(input, only("ri_rhr_trend_02"))).toBeNull();
  });

  it("needs three past days and a large enough change for a trend", () => {
    const twoDays = emptyInput({
      today_metrics: { resting_heart_rate: 70 },
      past_daily_metrics: { "2024-03-01": { resting_heart_rate: 55 }, "2024-03-02": { resting_heart_rate: 55 } },
    });
    expect(selectInsight(twoDays, only("ri_rhr_trend_01"))).toBeNull();
    const small = emptyInput({
      today_metrics: { resting_heart_rate: 57 },
      past_daily_metrics: flatPast({ resting_heart_rate: 55 }),
    });
    expect(selectInsight(small, only("ri_rhr_trend_01"))).toBeNull();
  });

  it(`uses only the newest ${BASELINE_WINDOW_DAYS} past days for the baseline`, () => {
    const old = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`2023-01-${String(i).padStart(2, "0")}`, { sleep_hrv: 100 }]),
    );
    const input = emptyInput({
      today_metrics: { sleep_hrv: 40 },
      past_daily_metrics: { ...old, ...flatPast({ sleep_hrv: 45 }) },
    });
    const selection = selectInsight(input, only("ri_hrv_trend_01"));
    expect(selection?.metricsUsed[0]?.baselineDays).toBe(BASELINE_WINDOW_DAYS);
    expect(selection?.metricsUsed[0]?.baseline).toBeGreaterThan(45);
  });

  it("reads variability over past days and today", () => {
    const swinging = Object.fromEntries(PAST_DAYS.map((day, i) => [day, { sleep_duration: i % 2 ? 330 : 480 }]));
    const input = emptyInput({
      time_format: "week",
      today_metrics: { sleep_duration: 400 },
      past_daily_metrics: swinging,
    });
    expect(selectInsight(input, only("ri_sleep_consistency_01"))?.matched[0]).toMatch(/^sleep_duration varied by ±\d+/);
    const steady = emptyInput({ ...input, past_daily_metrics: flatPast({ sleep_duration: 400 }) });
    expect(selectInsight(steady, only("ri_sleep_consistency_01"))).toBeNull();
  });

  it("counts past triggers per day", () => {
    const entry = only("ri_meditation_02");
    const twice = emptyInput({
      time_format: "week",
      past_triggers: { "2024-03-01": ["MEDITATION"], "2024-03-02": ["meditation", "MEDITATION"] },
    });
    expect(selectInsight(twice, entry)).toBeNull();
    const thrice = emptyInput({ ...twice, past_triggers: { ...twice.past_triggers, "2024-03-03": ["Meditation"] } });
    expect(selectInsight(thrice, entry)?.matched).toEqual(["MEDITATION reported on 3 of the past 3 days"]);
  });

  it("prefers the more specific entry", () => {
    const input = emptyInput({
      today_triggers: ["ALCOHOL"],
      today_metrics: { sleep_hrv: 35 },
      past_daily_metrics: flatPast({ sleep_hrv: 45 }),
    });
    const candidates = INSIGHT_CATALOGUE.filter((e) =>
      ["ri_alcohol_01", "ri_alcohol_02", "ri_hrv_trend_01"].includes(e.id),
    );
    const selection = selectInsight(input, candidates);
    expect(selection?.insight.id).toBe("ri_alcohol_02");
    expect(selection?.score).toBe(5);
  });

  it("counts a range on one metric as one fact", () => {
    const input = emptyInput({ today_metrics: { sleep_duration: 450 } });
    expect(selectInsight(input, only("ri_sleep_duration_03"))?.score).toBe(2);
  });

  it("normalizes names and ignores what it does not know", () => {
    const input = emptyInput({
      today_triggers: ["coffee", "late-meal", "unheard-of", ""],
      today_metrics: { sleepDuration: 300, SLEEP_HRV: "40", mystery: 5, steps: Number.NaN },
    });
    const selection = selectInsight(input, only("ri_sleep_duration_01"));
    expect(selection?.matched).toEqual(["sleep_duration 300 min is below 360 min"]);
    expect(selectInsight(input, only("ri_caffeine_01"))).not.toBeNull();
    expect(selectInsight(input, only("ri_late_meal_01"))).not.toBeNull();
    expect(selectInsight(input, only("ri_hrv_basics_01"))).toBeNull();
    expect(selectInsight(input, only("ri_activity_steps_01"))).toBeNull();
  });

  it("tolerates malformed past data", () => {
    const input = emptyInput({
      today_metrics: { sleep_hrv: 30 },
      past_daily_metrics: { a: null, b: [1, 2], c: "x", d: { sleep_hrv: "45" } },
      past_triggers: { a: "CAFFEINE", b: null, c: [1, { x: 1 }] },
    });
    const selection = selectInsight(input, INSIGHT_CATALOGUE);
    expect(selection?.insight.id).toBe("ri_hrv_basics_01");
  });

  it("falls back to a general entry with a plain reason", () => {
    const selection = selectInsight(emptyInput(), INSIGHT_CATALOGUE);
    expect(selection?.insight.conditions).toBeUndefined();
    expect(selection?.matched).toEqual([GENERAL_REASON]);
    expect(selection?.score).toBe(0);
  });
});
