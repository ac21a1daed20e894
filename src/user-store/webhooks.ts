import { eventOf, type WebhookEvent } from "../changes/kinds";
import { randomBytes, toBase64Url } from "../lib/encoding";
import { LIMITS } from "../lib/limits";
import type { ChangeInput } from "./changes";

/**
 * Webhook endpoints inside a UserStore (docs/changes.md "Webhooks"): the user's endpoints with their secrets, the
 * outbox of deliveries not yet handed to the queue, and the log of delivery attempts. A write puts its deliveries in
 * the outbox in its own transaction (a change is never announced without being stored, nor stored without being
 * announced); the store's alarm hands the outbox to WEBHOOK_QUEUE. Synchronous functions over the SqlStorage.
 */

export interface WebhookRecord {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
  updatedAt: string;
  enabled: boolean;
  /** When and why the store stopped delivering to it (null while enabled). */
  disabledAt: string | null;
  disabledReason: string | null;
  /** The first failed attempt since the last success (null: the last attempt succeeded, or none yet). */
  failingSince: string | null;
  lastSuccessAt: string | null;
}

export interface NewWebhook {
  userId: string;
  url: string;
  events: readonly WebhookEvent[];
  secret: string;
}

export interface WebhookPatch {
  url?: string;
  events?: readonly WebhookEvent[];
  enabled?: boolean;
}

/** What a delivery needs: where to, and the secrets to sign with (the current one first). */
export interface WebhookTarget {
  url: string;
  secrets: string[];
}

/** An endpoint that listens: what `enqueueDeliveries` needs, cached by the store between webhook changes. */
export interface Subscriber {
  id: string;
  userId: string;
  events: ReadonlySet<string>;
}

/** One queue message: a delivery of one event to one endpoint (the same `messageId` on every retry). */
export interface WebhookMessage {
  kind: "webhook_delivery";
  userId: string;
  webhookId: string;
  messageId: string;
  eventType: WebhookEvent;
  /** The exact JSON body that is signed and sent. */
  body: string;
}

export const WEBHOOK_MESSAGE_KIND = "webhook_delivery";

interface WebhookRow extends Record<string, SqlStorageValue> {
  id: string;
  user_id: string;
  url: string;
  events: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: string | null;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
  disabled_reason: string | null;
  failing_since: string | null;
  last_success_at: string | null;
}

const ID_PATTERN = /^wh_[0-9A-Za-z_-]{22}$/;
export const isWebhookId = (id: string): boolean => ID_PATTERN.test(id);
export const newWebhookId = (): string => `wh_${toBase64Url(randomBytes(16))}`;
const newMessageId = (): string => `msg_${toBase64Url(randomBytes(16))}`;

function toRecord(row: WebhookRow): WebhookRecord {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    enabled: row.disabled_at === null,
    disabledAt: row.disabled_at,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since,
    lastSuccessAt: row.last_success_at,
  };
}

export const findRow = (sql: SqlStorage, id: string): WebhookRow | undefined =>
  sql.exec<WebhookRow>("SELECT * FROM webhooks WHERE id = ?", id).toArray()[0];

export function countWebhooks(sql: SqlStorage): number {
  return sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM webhooks").one().n;
}

export function createWebhook(sql: SqlStorage, webhook: NewWebhook, now: string): WebhookRecord {
  const id = newWebhookId();
  sql.exec(
    "INSERT INTO webhooks (id, user_id, url, events, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    id,
    webhook.userId,
    webhook.url,
    JSON.stringify(webhook.events),
    webhook.secret,
    now,
    now,
  );
  return toRecord(findRow(sql, id) as WebhookRow);
}

export function listWebhooks(sql: SqlStorage): WebhookRecord[] {
  return sql.exec<WebhookRow>("SELECT * FROM webhooks ORDER BY created_at, id").toArray().map(toRecord);
}

export function findWebhook(sql: SqlStorage, id: string): WebhookRecord | null {
  const row = findRow(sql, id);
  return row ? toRecord(row) : null;
}

/** Applies a patch; enabling an endpoint clears its failure streak. Null for an unknown id. */
export function updateWebhook(sql: SqlStorage, id: string, patch: WebhookPatch, now: string): WebhookRecord | null {
  const row = findRow(sql, id);
  if (!row) return null;
  const url = patch.url ?? row.url;
  const events = patch.events === undefined ? row.events : JSON.stringify(patch.events);
  let { disabled_at, disabled_reason, failing_since } = row;
  if (patch.enabled === true && disabled_at !== null) {
    disabled_at = null;
    disabled_reason = null;
    failing_since = null;
  } else if (patch.enabled === false && disabled_at === null) {
    disabled_at = now;
    disabled_reason = "Disabled by its owner";
  }
  sql.exec(
    "UPDATE webhooks SET url = ?, events = ?, disabled_at = ?, disabled_reason = ?, failing_since = ?, updated_at = ? WHERE id = ?",
    url,
    events,
    disabled_at,
    disabled_reason,
    failing_since,
    now,
    id,
  );
  if (disabled_at !== null) dropOutbox(sql, id);
  return toRecord(findRow(sql, id) as WebhookRow);
}

/** Removes an endpoint with its waiting deliveries and its attempt log. */
export function deleteWebhook(sql: SqlStorage, id: string): boolean {
  const gone = sql.exec("DELETE FROM webhooks WHERE id = ?", id).rowsWritten > 0;
  if (gone) {
    dropOutbox(sql, id);
    sql.exec("DELETE FROM webhook_attempts WHERE webhook_id = ?", id);
  }
  return gone;
}

/** A new secret; the one it replaces keeps signing, next to it, until `previousUntil`. */
export function rotateSecret(sql: SqlStorage, id: string, secret: string, now: string, previousUntil: string): boolean {
  const row = findRow(sql, id);
  if (!row) return false;
  sql.exec(
    "UPDATE webhooks SET secret = ?, previous_secret = ?, previous_secret_until = ?, updated_at = ? WHERE id = ?",
    secret,
    row.secret,
    previousUntil,
    now,
    id,
  );
  return true;
}

export function subscribers(sql: SqlStorage): Subscriber[] {
  return sql
    .exec<{ id: string; user_id: string; events: string }>(
      "SELECT id, user_id, events FROM webhooks WHERE disabled_at IS NULL",
    )
    .toArray()
    .map((row) => ({ id: row.id, userId: row.user_id, events: new Set<string>(JSON.parse(row.events)) }));
}

/** The body a delivery sends: `{type, timestamp, data}`, with only the change's identifiers when `data` is huge. */
function deliveryBody(event: WebhookEvent, change: ChangeInput, now: string): string {
  const body = JSON.stringify({ type: event, timestamp: now, data: change.data() });
  if (body.length <= LIMITS.webhookBodyBytes) return body;
  const ids: Record<string, unknown> = { truncated: true };
  if (change.id !== undefined) ids.id = change.id;
  if (change.measurementType !== undefined) ids.type = change.measurementType;
  if (change.day !== undefined) ids.day = change.day;
  return JSON.stringify({ type: event, timestamp: now, data: ids });
}

/** Puts a delivery in the outbox for each (change, endpoint listening for its event); answers how many. */
export function enqueueDeliveries(
  sql: SqlStorage,
  listeners: readonly Subscriber[],
  changes: readonly ChangeInput[],
  now: string,
): number {
  const rows: [string, string, string, string, string][] = [];
  for (const change of changes) {
    const event = eventOf(change.kind, change.op);
    const targets = listeners.filter((s) => s.events.has(event));
    if (targets.length === 0) continue;
    const body = deliveryBody(event, change, now);
    for (const target of targets) rows.push([newMessageId(), target.id, target.userId, event, body]);
  }
  if (rows.length === 0) return 0;
  // One statement, the rows as one JSON parameter (as the feed's own rows, src/user-store/changes.ts).
  sql.exec(
    `INSERT INTO webhook_outbox (message_id, webhook_id, user_id, event_type, body, created_at)
     SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, ? FROM json_each(?) AS j`,
    now,
    JSON.stringify(rows),
  );
  return rows.length;
}

/** The oldest waiting deliveries, at most `limit` and about `maxBytes` of bodies (a queue batch's limits). */
export function peekOutbox(sql: SqlStorage, limit: number, maxBytes: number): WebhookMessage[] {
  const messages: WebhookMessage[] = [];
  let bytes = 0;
  const rows = sql.exec<{ message_id: string; webhook_id: string; user_id: string; event_type: string; body: string }>(
    "SELECT message_id, webhook_id, user_id, event_type, body FROM webhook_outbox ORDER BY rowid LIMIT ?",
    limit,
  );
  for (const row of rows) {
    bytes += row.body.length + 200;
    if (messages.length > 0 && bytes > maxBytes) break;
    messages.push({
      kind: WEBHOOK_MESSAGE_KIND,
      userId: row.user_id,
      webhookId: row.webhook_id,
      messageId: row.message_id,
      eventType: row.event_type as WebhookEvent,
      body: row.body,
    });
  }
  return messages;
}

export function removeFromOutbox(sql: SqlStorage, messageIds: readonly string[]): void {
  for (const id of messageIds) sql.exec("DELETE FROM webhook_outbox WHERE message_id = ?", id);
}

export const outboxSize = (sql: SqlStorage): number =>
  sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM webhook_outbox").one().n;

export function dropOutbox(sql: SqlStorage, webhookId: string): void {
  sql.exec("DELETE FROM webhook_outbox WHERE webhook_id = ?", webhookId);
}

/** Where to deliver and with which secrets; null when the endpoint is gone or disabled (the message is dropped). */
export function webhookTarget(sql: SqlStorage, id: string, now: string): WebhookTarget | null {
  const row = findRow(sql, id);
  if (!row || row.disabled_at !== null) return null;
  const secrets = [row.secret];
  if (row.previous_secret !== null && row.previous_secret_until !== null && row.previous_secret_until > now) {
    secrets.push(row.previous_secret);
  }
  return { url: row.url, secrets };
}
