import { describe, expect, it } from "vitest";
import { INSIGHT_CATALOGUE } from "../../src/records/insights/catalogue";
import { selectInsight } from "../../src/records/insights/select";
import { type Condition, InsightEntrySchema } from "../../src/records/insights/types";
import { inputSatisfying } from "./build-input";

const ids = INSIGHT_CATALOGUE.map((entry) => entry.id);

function leaves(condition: Condition | undefined): Condition[] {
  if (!condition) return [];
  if ("all" in condition) return condition.all.flatMap(leaves);
  if ("any" in condition) return condition.any.flatMap(leaves);
  return [condition];
}

/** The metric or trigger a leaf is about. */
function subject(leaf: Condition): string {
  if ("has" in leaf) return leaf.has;
  if ("metric" in leaf) return leaf.metric;
  if ("trend" in leaf) return leaf.trend;
  if ("variability" in leaf) return leaf.variability;
  if ("trigger" in leaf) return leaf.trigger;
  if ("pastTrigger" in leaf) return leaf.pastTrigger;
  throw new Error("not a leaf");
}

describe("insight catalogue", () => {
  it("has at least 40 entries with unique ids", () => {
    expect(INSIGHT_CATALOGUE.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ids).size, `duplicates: ${ids.filter((id, i) => ids.indexOf(id) !== i)}`).toBe(ids.length);
  });

  it.each(INSIGHT_CATALOGUE.map((e) => [e.id, e] as const))(
    "%s is well formed and names only known metrics and triggers",
    (_, entry) => {
      const parsed = InsightEntrySchema.safeParse(entry);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    },
  );

  it.each(INSIGHT_CATALOGUE.map((e) => [e.id, e.text] as const))("%s has two to four sentences", (_, text) => {
    const sentences = text.split(/(?<=[.!?])\s+/).filter((s) => s.trim().length > 0);
    expect(sentences.length, text).toBeGreaterThanOrEqual(2);
    expect(sentences.length, text).toBeLessThanOrEqual(4);
  });

  it("covers every topic the brief lists", () => {
    const used = new Set(INSIGHT_CATALOGUE.flatMap((e) => leaves(e.conditions)).map(subject));
    const wanted = [
      "sleep_duration",
      "sleep_regularity",
      "sleep_hrv",
      "resting_heart_rate",
      "stress_duration",
      "stress_frequency",
      "stress_recovery",
      "intense_activity",
      "respiration_rate",
      "temperature_deviation",
      "CAFFEINE",
      "ALCOHOL",
      "LATE_MEAL",
      "SCREEN_TIME",
      "EXERCISE",
      "MEDITATION",
      "TRAVEL",
      "WORK_STRESS",
      "SOCIAL",
      "NATURE",
    ];
    expect(wanted.filter((name) => !used.has(name))).toEqual([]);
  });

  it("has general fallbacks for both the day and the week", () => {
    const general = INSIGHT_CATALOGUE.filter((e) => !e.conditions);
    expect(general.some((e) => e.period !== "week")).toBe(true);
    expect(general.some((e) => e.period !== "day")).toBe(true);
  });

  it.each(INSIGHT_CATALOGUE.map((e) => [e.id, e] as const))(
    "%s is reachable: an input built from its conditions selects it once the others were shown",
    (id, entry) => {
      const input = inputSatisfying(entry);
      input.previous_research_insight_ids = ids.filter((other) => other !== id);
      const selection = selectInsight(input, INSIGHT_CATALOGUE);
      expect(selection?.insight.id, JSON.stringify(input)).toBe(id);
      expect(selection?.matched.length).toBeGreaterThan(0);
    },
  );
});
