import { LIMITS } from "../lib/limits";
import { DAY_MS } from "../lib/time";
import { dropOutbox, findRow } from "./webhooks";

/**
 * The log of webhook delivery attempts inside a UserStore, and the endpoint health it keeps (docs/changes.md
 * "Deliveries"): a success ends a failure streak; a streak of LIMITS.webhookDisableAfterDays disables the endpoint.
 */

export type AttemptOutcome = "succeeded" | "failed" | "dead_lettered";

export interface AttemptInput {
  webhookId: string;
  messageId: string;
  eventType: string;
  /** Which delivery of the message this was (1 = the first). */
  attempt: number;
  attemptedAt: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  outcome: AttemptOutcome;
  /** The start of the receiver's answer (at most LIMITS.webhookResponseKept characters). */
  response: string | null;
}

export interface StoredAttempt extends AttemptInput {
  id: number;
}

export interface AttemptResult {
  /** This attempt disabled the endpoint (it had failed for LIMITS.webhookDisableAfterDays): tell its owner. */
  disabledNow: boolean;
  url: string | null;
}

/**
 * Logs an attempt and keeps the endpoint's health: a success ends the failure streak; a failure starts one, and
 * one that has lasted LIMITS.webhookDisableAfterDays disables the endpoint and drops what waits for it.
 */
export function recordAttempt(sql: SqlStorage, attempt: AttemptInput): AttemptResult {
  const row = findRow(sql, attempt.webhookId);
  if (!row) return { disabledNow: false, url: null };
  sql.exec(
    `INSERT INTO webhook_attempts (webhook_id, message_id, event_type, attempt, attempted_at, status_code, duration_ms,
       error, outcome, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    attempt.webhookId,
    attempt.messageId,
    attempt.eventType,
    attempt.attempt,
    attempt.attemptedAt,
    attempt.statusCode,
    attempt.durationMs,
    attempt.error,
    attempt.outcome,
    attempt.response,
  );
  pruneAttempts(sql, attempt.webhookId, attempt.attemptedAt);
  if (attempt.outcome === "succeeded") {
    sql.exec("UPDATE webhooks SET failing_since = NULL, last_success_at = ? WHERE id = ?", attempt.attemptedAt, row.id);
    return { disabledNow: false, url: row.url };
  }
  const failingSince = row.failing_since ?? attempt.attemptedAt;
  const failingMs = Date.parse(attempt.attemptedAt) - Date.parse(failingSince);
  if (row.disabled_at === null && failingMs >= LIMITS.webhookDisableAfterDays * DAY_MS) {
    sql.exec(
      "UPDATE webhooks SET failing_since = ?, disabled_at = ?, disabled_reason = ? WHERE id = ?",
      failingSince,
      attempt.attemptedAt,
      `Every delivery failed since ${failingSince}`,
      row.id,
    );
    dropOutbox(sql, row.id);
    return { disabledNow: true, url: row.url };
  }
  if (row.failing_since === null) sql.exec("UPDATE webhooks SET failing_since = ? WHERE id = ?", failingSince, row.id);
  return { disabledNow: false, url: row.url };
}

function pruneAttempts(sql: SqlStorage, webhookId: string, now: string): void {
  const cutoff = new Date(Date.parse(now) - LIMITS.webhookAttemptDays * DAY_MS).toISOString();
  sql.exec(
    `DELETE FROM webhook_attempts WHERE webhook_id = ? AND (attempted_at < ? OR id <= (
       SELECT id FROM webhook_attempts WHERE webhook_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?))`,
    webhookId,
    cutoff,
    webhookId,
    LIMITS.webhookAttemptsKept,
  );
}

interface AttemptRow extends Record<string, SqlStorageValue> {
  id: number;
  webhook_id: string;
  message_id: string;
  event_type: string;
  attempt: number;
  attempted_at: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  outcome: AttemptOutcome;
  response: string | null;
}

/** An endpoint's attempts, newest first. */
export function listAttempts(sql: SqlStorage, webhookId: string, limit: number): StoredAttempt[] {
  return sql
    .exec<AttemptRow>("SELECT * FROM webhook_attempts WHERE webhook_id = ? ORDER BY id DESC LIMIT ?", webhookId, limit)
    .toArray()
    .map((row) => ({
      id: row.id,
      webhookId: row.webhook_id,
      messageId: row.message_id,
      eventType: row.event_type,
      attempt: row.attempt,
      attemptedAt: row.attempted_at,
      statusCode: row.status_code,
      durationMs: row.duration_ms,
      error: row.error,
      outcome: row.outcome,
      response: row.response,
    }));
}
