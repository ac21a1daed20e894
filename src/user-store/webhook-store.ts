import { LIMITS } from "../lib/limits";
import { StoreBase } from "./store-base";
import {
  type AttemptInput,
  type AttemptResult,
  listAttempts,
  recordAttempt,
  type StoredAttempt,
} from "./webhook-attempts";
import {
  countWebhooks,
  createWebhook,
  deleteWebhook,
  findWebhook,
  listWebhooks,
  type NewWebhook,
  rotateSecret,
  updateWebhook,
  type WebhookPatch,
  type WebhookRecord,
  type WebhookTarget,
  webhookTarget,
} from "./webhooks";

/**
 * The UserStore's webhook endpoints (docs/changes.md "Webhooks"): the caller's own, found by id in their own store
 * only, so another user's id is simply unknown. Every change to them drops the cached listeners.
 */
export abstract class WebhookStore extends StoreBase {
  /** Null when the user already has LIMITS.webhooksPerUser endpoints. */
  async createWebhook(webhook: NewWebhook): Promise<WebhookRecord | null> {
    this.dropListeners();
    return this.write(({ db, now }) =>
      countWebhooks(db) >= LIMITS.webhooksPerUser ? null : createWebhook(db, webhook, now),
    );
  }

  async listWebhooks(): Promise<WebhookRecord[]> {
    return listWebhooks(this.db);
  }

  async getWebhook(id: string): Promise<WebhookRecord | null> {
    return findWebhook(this.db, id);
  }

  async updateWebhook(id: string, patch: WebhookPatch): Promise<WebhookRecord | null> {
    this.dropListeners();
    return this.write(({ db, now }) => updateWebhook(db, id, patch, now));
  }

  async deleteWebhook(id: string): Promise<boolean> {
    this.dropListeners();
    return this.write(({ db }) => deleteWebhook(db, id));
  }

  /** A new secret; answers until when the previous one still signs, or null for an unknown endpoint. */
  async rotateWebhookSecret(id: string, secret: string): Promise<{ previousSecretUntil: string } | null> {
    return this.write(({ db, now }) => {
      const until = new Date(Date.parse(now) + LIMITS.webhookPreviousSecretHours * 3_600_000).toISOString();
      return rotateSecret(db, id, secret, now, until) ? { previousSecretUntil: until } : null;
    });
  }

  /** An endpoint's recent attempts, newest first; null for an unknown endpoint. */
  async webhookDeliveries(id: string, limit: number): Promise<StoredAttempt[] | null> {
    const db = this.db;
    return findWebhook(db, id) === null ? null : listAttempts(db, id, limit);
  }

  /** For the queue consumer: where each delivery goes and what signs it; null when gone or disabled. */
  async webhookTargets(ids: string[]): Promise<Record<string, WebhookTarget | null>> {
    const db = this.db;
    const now = new Date().toISOString();
    return Object.fromEntries(ids.map((id) => [id, webhookTarget(db, id, now)]));
  }

  /** For the queue consumers: logs attempts, in order; a failure streak past its limit disables the endpoint. */
  async recordWebhookAttempts(attempts: AttemptInput[]): Promise<AttemptResult[]> {
    const results = await this.write(({ db }) => attempts.map((attempt) => recordAttempt(db, attempt)));
    if (results.some((r) => r.disabledNow)) this.dropListeners();
    return results;
  }
}
