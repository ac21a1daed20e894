import { INSIGHT_CATALOGUE } from "./catalogue";
import { baseline, evaluate, type Match, score } from "./conditions";
import { buildContext, type InsightContext } from "./context";
import type { InsightRequest, InsightResponse } from "./schemas";
import type { InsightEntry, RequestPeriod } from "./types";
import { type MetricName, metricSpec } from "./vocabulary";

export {
  INSIGHT_REQUEST_LIMITS,
  type InsightRequest,
  InsightRequestSchema,
  type InsightResponse,
  InsightResponseSchema,
  ResearchInsightSchema,
} from "./schemas";

/** The reason given for an entry that has no conditions. */
export const GENERAL_REASON = "general insight: nothing more specific was new for you";
const GENERAL_MATCH: Match = { facts: new Map(), reasons: [GENERAL_REASON], metrics: [] };

/** A metric a chosen entry read: today's value and the personal baseline it was compared with. */
export interface MetricUse {
  readonly metric: MetricName;
  readonly unit: string;
  readonly today: number | null;
  readonly baseline: number | null;
  readonly baselineDays: number;
}

export interface InsightSelection {
  readonly insight: InsightEntry;
  readonly period: RequestPeriod;
  /** Sum of the satisfied leaves' weights; 0 for a general entry. */
  readonly score: number;
  /** Human-readable reasons, one per satisfied leaf (or the general reason). */
  readonly matched: readonly string[];
  readonly metricsUsed: readonly MetricUse[];
}

export interface SelectOptions {
  /** The day the reflection is for (e.g. `2024-03-20`): mixed into the tie-break so equal entries rotate by day. */
  readonly day?: string;
}

/**
 * Picks the research insight for a reflection (docs/records.md "Selection algorithm"). Eligible entries: period
 * matches, conditions satisfied, id not in `previous_research_insight_ids`. Highest score wins; ties go to the
 * lowest stable hash of (seed, id), where the seed is built from the request (and `options.day`), so the same input
 * always gives the same insight and a new day rotates among equally good ones. `null` when nothing new is eligible.
 */
export function selectInsight(
  input: InsightRequest,
  catalogue: readonly InsightEntry[] = INSIGHT_CATALOGUE,
  options: SelectOptions = {},
): InsightSelection | null {
  const ctx = buildContext(input);
  const shown = new Set(input.previous_research_insight_ids);
  const seed = tieBreakSeed(ctx, options.day);

  let best: Candidate | undefined;
  for (const entry of catalogue) {
    if (shown.has(entry.id) || (entry.period !== "both" && entry.period !== ctx.period)) continue;
    const match = entry.conditions ? evaluate(entry.conditions, ctx) : GENERAL_MATCH;
    if (!match) continue;
    const candidate: Candidate = { entry, score: score(match), hash: fnv1a(`${seed}\u0000${entry.id}`), match };
    if (!best || outranks(candidate, best)) best = candidate;
  }
  if (!best) return null;

  return {
    insight: best.entry,
    period: ctx.period,
    score: best.score,
    matched: best.match.reasons,
    metricsUsed: metricUses(ctx, best.match.metrics),
  };
}

/** The response body, with the parts only the route knows (id, date, created) passed in. */
export function toInsightResponse(
  selection: InsightSelection,
  meta: { id: string; date: string; created: string },
): InsightResponse {
  const { id, title, text } = selection.insight;
  return {
    id: meta.id,
    date: meta.date,
    timeFormat: selection.period,
    researchInsight: { id, title, text },
    reasons: [...selection.matched],
    created: meta.created,
  };
}

interface Candidate {
  readonly entry: InsightEntry;
  readonly score: number;
  readonly hash: number;
  readonly match: Match;
}

function outranks(a: Candidate, b: Candidate): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.hash !== b.hash) return a.hash < b.hash;
  return a.entry.id < b.entry.id;
}

/** A canonical string of what identifies "this request's day": order of keys and triggers does not matter. */
function tieBreakSeed(ctx: InsightContext, day: string | undefined): string {
  const metrics = [...ctx.today].map(([name, value]) => `${name}=${value}`).sort();
  const triggers = [...ctx.todayTriggers].sort();
  return JSON.stringify([day ?? "", ctx.period, ctx.latestPastDay ?? "", metrics, triggers]);
}

/** FNV-1a, 32 bits, over UTF-8: small, stable across runtimes, and well spread for short strings. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function metricUses(ctx: InsightContext, names: readonly MetricName[]): MetricUse[] {
  return [...new Set(names)].sort().map((metric) => {
    const base = baseline(ctx, metric);
    return {
      metric,
      unit: metricSpec(metric).unit,
      today: ctx.today.get(metric) ?? null,
      baseline: base ? Math.round(base.mean * 10) / 10 : null,
      baselineDays: base?.days ?? 0,
    };
  });
}
