import { describe, expect, it } from "vitest";
import doc from "../../docs/records.md?raw";
import {
  ActivityOrigin,
  CheckinContext,
  CheckinOrigin,
  DayFeedbackValue,
  IntentionTag,
  OnboardingIntention,
  Reactivity,
  RelatedFeeling,
  SubjectiveInputType,
  Valence,
} from "../../src/records/enums";
import { INSIGHT_CATALOGUE } from "../../src/records/insights/catalogue";
import { INSIGHT_METRICS, INSIGHT_TRIGGERS } from "../../src/records/insights/vocabulary";

/** docs/records.md is the reference a client developer reads: it must list what the code accepts. */
describe("docs/records.md", () => {
  it("documents every numeric enum value with its name", () => {
    const numeric = [ActivityOrigin, SubjectiveInputType, DayFeedbackValue, IntentionTag, OnboardingIntention];
    const missing = numeric
      .flatMap((e) => e.entries.map((entry) => `| ${entry.value} | \`${entry.name}\` |`))
      .filter((row) => !doc.includes(row));
    expect(missing).toEqual([]);
  });

  it("documents every string enum value", () => {
    const strings = [CheckinOrigin, Reactivity, Valence, RelatedFeeling, CheckinContext];
    const missing = strings.flatMap((e) => e.values.map((v) => `| \`${v}\` |`)).filter((row) => !doc.includes(row));
    expect(missing).toEqual([]);
  });

  it("lists every metric, trigger and catalogue entry", () => {
    const rows = [
      ...INSIGHT_METRICS.map((m) => `| \`${m.name}\` | ${m.unit} |`),
      ...INSIGHT_TRIGGERS.map((t) => `| \`${t.name}\` |`),
      ...INSIGHT_CATALOGUE.map((e) => `| \`${e.id}\` | ${e.period} |`),
    ];
    expect(rows.filter((row) => !doc.includes(row))).toEqual([]);
    expect(doc).toContain(`${INSIGHT_CATALOGUE.length} entries`);
  });

  it("has the Operations section", () => {
    expect(doc).toContain("\n## Operations\n");
  });
});
