import { BODY_ENTRIES } from "./entries/body";
import { GENERAL_ENTRIES } from "./entries/general";
import { SLEEP_ENTRIES } from "./entries/sleep";
import { STRESS_ACTIVITY_ENTRIES } from "./entries/stress-activity";
import { TRIGGER_ENTRIES } from "./entries/triggers";
import type { InsightEntry } from "./types";

export type { Condition, InsightEntry, InsightPeriod } from "./types";

/**
 * The research-insight catalogue shipped with the project: short, careful wellness-research notes, each with the
 * conditions under which it is relevant. Ids are stable forever (clients send them back as
 * `previous_research_insight_ids`): never reuse or renumber one; retire an entry by removing it, add new ids instead.
 * Entries are grouped by topic in ./entries; the order here carries no meaning (selection does not depend on it).
 */
export const INSIGHT_CATALOGUE: readonly InsightEntry[] = [
  ...SLEEP_ENTRIES,
  ...BODY_ENTRIES,
  ...STRESS_ACTIVITY_ENTRIES,
  ...TRIGGER_ENTRIES,
  ...GENERAL_ENTRIES,
];
