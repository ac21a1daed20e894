import type { InsightResponse } from "../records/insights/schemas";

/**
 * Reflections (POST /v2/insight) and the feedback on them (POST /v2/insight/feedback) inside a UserStore. A
 * reflection is kept exactly as it was answered; feedback rows point at it by id (`instance_id` on the wire).
 */

export interface NewInsight {
  response: InsightResponse;
  appVersion: string;
}

export interface FeedbackSection {
  section: string;
  options: string[];
  thumbUp: boolean;
}

export interface NewInsightFeedback {
  /** The reflection rated: `instance_id` on the wire. */
  instanceId: string;
  appVersion: string;
  date: string;
  feedback: FeedbackSection[];
  testBuild: boolean;
}

export interface InsightFeedbackRecord extends NewInsightFeedback {
  id: string;
  created: string;
}

export interface InsightHistoryRecord extends InsightResponse {
  appVersion: string;
  feedback: InsightFeedbackRecord[];
}

export type FeedbackOutcome = { outcome: "stored"; ids: string[] } | { outcome: "unknown_insight"; index: number };

export function insertInsight(sql: SqlStorage, insight: NewInsight): void {
  const r = insight.response;
  sql.exec(
    "INSERT INTO insights (id, date, time_format, research_insight_id, response, app_version, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
    r.id,
    r.date,
    r.timeFormat,
    r.researchInsight.id,
    JSON.stringify(r),
    insight.appVersion,
    r.created,
  );
}

/**
 * Stores every feedback element, or none: the first element naming a reflection the user does not have is reported
 * by its index and nothing is written. Run inside a transaction.
 */
export function insertInsightFeedback(
  sql: SqlStorage,
  items: readonly NewInsightFeedback[],
  now: string,
): FeedbackOutcome {
  const known = new Map<string, boolean>();
  for (const [index, item] of items.entries()) {
    let exists = known.get(item.instanceId);
    if (exists === undefined) {
      exists = sql.exec("SELECT 1 AS found FROM insights WHERE id = ?", item.instanceId).toArray().length > 0;
      known.set(item.instanceId, exists);
    }
    if (!exists) return { outcome: "unknown_insight", index };
  }
  const ids = items.map((item) => {
    const id = crypto.randomUUID();
    sql.exec(
      "INSERT INTO insight_feedback (id, insight_id, app_version, date, feedback, test_build, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
      id,
      item.instanceId,
      item.appVersion,
      item.date,
      JSON.stringify(item.feedback),
      item.testBuild ? 1 : 0,
      now,
    );
    return id;
  });
  return { outcome: "stored", ids };
}

interface FeedbackRow extends Record<string, SqlStorageValue> {
  id: string;
  insight_id: string;
  app_version: string;
  date: string;
  feedback: string;
  test_build: number;
  created: string;
}

/**
 * Reflections dated [startDay, endDay] created at or after `since` (ISO UTC; null = all), oldest first, each with
 * its feedback oldest first; `null` when there are more than `limit` reflections.
 */
export function listInsights(
  sql: SqlStorage,
  startDay: string,
  endDay: string,
  since: string | null,
  limit: number,
): InsightHistoryRecord[] | null {
  const where = "date >= ? AND date <= ? AND created >= ?";
  const binds = [startDay, endDay, since ?? ""];
  const rows = sql
    .exec<{ response: string; app_version: string }>(
      `SELECT response, app_version FROM insights WHERE ${where} ORDER BY created, rowid LIMIT ?`,
      ...binds,
      limit + 1,
    )
    .toArray();
  if (rows.length > limit) return null;
  const feedback = new Map<string, InsightFeedbackRecord[]>();
  const feedbackRows = sql.exec<FeedbackRow>(
    `SELECT id, insight_id, app_version, date, feedback, test_build, created FROM insight_feedback
     WHERE insight_id IN (SELECT id FROM insights WHERE ${where}) ORDER BY created, rowid`,
    ...binds,
  );
  for (const row of feedbackRows) {
    const list = feedback.get(row.insight_id) ?? [];
    list.push({
      id: row.id,
      instanceId: row.insight_id,
      appVersion: row.app_version,
      date: row.date,
      feedback: JSON.parse(row.feedback),
      testBuild: row.test_build === 1,
      created: row.created,
    });
    feedback.set(row.insight_id, list);
  }
  return rows.map((row) => {
    const response: InsightResponse = JSON.parse(row.response);
    return { ...response, appVersion: row.app_version, feedback: feedback.get(response.id) ?? [] };
  });
}

/** When a reflection was created (what the change feed's cut dates it and its feedback by); null when unknown. */
export function insightCreated(sql: SqlStorage, id: string): string | null {
  return sql.exec<{ created: string }>("SELECT created FROM insights WHERE id = ?", id).toArray()[0]?.created ?? null;
}
