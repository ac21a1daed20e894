import { getDb } from "../db";
import { findUserById } from "../db/users";
import { createMailer } from "../mail/mailer";
import { isStoreDeleted } from "../user-store/deleted";
import { userStore } from "../user-store/user-store";
import { WEBHOOK_MESSAGE_KIND, type WebhookMessage, type WebhookTarget } from "../user-store/webhooks";
import { type DeliveryDeps, type DeliveryResult, deliver } from "../webhooks/deliver";
import { dohResolver } from "../webhooks/url-safety";

/**
 * Consumers of the webhook queues (docs/changes.md "Deliveries"). WEBHOOK_QUEUE: each message is one event for one
 * endpoint; a 2xx acks it, anything else retries it after the next delay of the schedule, and a failure of the last
 * attempt sends it to the dead-letter queue (wrangler.toml `max_retries` = the schedule's length). The dead-letter
 * consumer logs the give-up on the endpoint. Every attempt is logged in the owner's store, which disables an endpoint
 * that has failed for LIMITS.webhookDisableAfterDays; its owner is then told by mail.
 */

/** Seconds before each retry: after the 1st attempt, the 2nd … (Standard Webhooks' reference schedule, capped). */
export const RETRY_DELAYS_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000] as const;
/** Deliveries of one message: the first plus one per retry (wrangler.toml `max_retries = 7`). */
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

export const WEBHOOK_QUEUE_NAME = "nowatch-webhooks";
export const WEBHOOK_DLQ_NAME = "nowatch-webhooks-dlq";

export function isWebhookMessage(body: unknown): body is WebhookMessage {
  if (body === null || typeof body !== "object") return false;
  const m = body as Partial<WebhookMessage>;
  return (
    m.kind === WEBHOOK_MESSAGE_KIND &&
    typeof m.userId === "string" &&
    typeof m.webhookId === "string" &&
    typeof m.messageId === "string" &&
    typeof m.eventType === "string" &&
    typeof m.body === "string"
  );
}

export const defaultDeliveryDeps = (): DeliveryDeps => ({
  fetch: (input, init) => fetch(input, init),
  resolve: dohResolver(),
  now: () => Date.now(),
});

const log = (event: string, fields: Record<string, unknown>) => console.warn(JSON.stringify({ event, ...fields }));

async function mailDisabled(env: Env, userId: string, url: string): Promise<void> {
  const db = getDb(env.DB);
  const user = await findUserById(db, userId);
  if (!user) return;
  await createMailer(db, env).send({
    kind: "WEBHOOK_DISABLED",
    to: user.email,
    subject: "NOWATCH: a webhook endpoint was disabled",
    body: [
      `Every delivery to your webhook endpoint ${url} has failed for several days, so NOWATCH stopped sending to it.`,
      "See its recent attempts with GET /v1/webhooks/{id}/deliveries, fix the receiver, then enable it again with",
      'PATCH /v1/webhooks/{id} {"enabled": true}. Your data is untouched; GET /v1/changes still lists every change.',
    ].join("\n"),
  });
}

const retryLater = (message: Message<unknown>) =>
  // After the last attempt this retry hands the message to the dead-letter queue.
  message.retry({ delaySeconds: RETRY_DELAYS_SECONDS[message.attempts - 1] ?? 0 });

/**
 * One user's deliveries of a batch: one RPC reads their endpoints, the sends go out in parallel, one RPC logs every
 * attempt (two store calls per user and batch, not two per message).
 */
async function deliverForUser(
  userId: string,
  messages: readonly { message: Message<unknown>; body: WebhookMessage }[],
  env: Env,
  deps: DeliveryDeps,
): Promise<void> {
  const store = userStore(env, userId);
  try {
    const targets = await store.webhookTargets([...new Set(messages.map((m) => m.body.webhookId))]);
    const sending = messages.filter(({ message, body }) => {
      if (targets[body.webhookId]) return true;
      message.ack(); // the endpoint was deleted or disabled after the event: nothing to send
      return false;
    });
    if (sending.length === 0) return;
    const results = await Promise.all(
      sending.map(({ body }) =>
        deliver(targets[body.webhookId] as WebhookTarget, body, env.NOWATCH_ENV === "local", deps),
      ),
    );
    const attemptedAt = new Date(deps.now()).toISOString();
    const recorded = await store.recordWebhookAttempts(
      sending.map(({ message, body }, i) => {
        const result = results[i] as DeliveryResult;
        return {
          webhookId: body.webhookId,
          messageId: body.messageId,
          eventType: body.eventType,
          attempt: message.attempts,
          attemptedAt,
          statusCode: result.statusCode,
          durationMs: result.durationMs,
          error: result.error,
          outcome: result.ok ? "succeeded" : "failed",
          response: result.response,
        };
      }),
    );
    for (const [i, { message }] of sending.entries()) {
      const disabled = recorded[i]?.disabledNow === true;
      if (disabled && recorded[i]?.url) await mailDisabled(env, userId, recorded[i].url);
      if (results[i]?.ok || disabled) message.ack();
      else retryLater(message);
    }
  } catch (error) {
    if (isStoreDeleted(error)) {
      for (const { message } of messages) message.ack(); // the account is gone, and its endpoints with it
      return;
    }
    log("webhook_delivery_error", { userId, error: error instanceof Error ? error.message : String(error) });
    for (const { message } of messages) retryLater(message);
  }
}

export async function handleWebhookBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  deps: DeliveryDeps = defaultDeliveryDeps(),
): Promise<void> {
  const byUser = new Map<string, { message: Message<unknown>; body: WebhookMessage }[]>();
  for (const message of batch.messages) {
    const body = message.body;
    if (!isWebhookMessage(body)) {
      // Nothing can ever deliver it: drop it loudly rather than retry it into the dead-letter queue.
      log("webhook_malformed_message", { id: message.id });
      message.ack();
      continue;
    }
    const group = byUser.get(body.userId) ?? [];
    group.push({ message, body });
    byUser.set(body.userId, group);
  }
  // A batch often holds many deliveries to one host: its DNS is asked once per batch, not once per message.
  const answers = new Map<string, Promise<string[]>>();
  const resolve = (host: string) => {
    let answer = answers.get(host);
    if (!answer) {
      answer = deps.resolve(host);
      answers.set(host, answer);
    }
    return answer;
  };
  const batchDeps = { ...deps, resolve };
  // Deliveries wait on the network, not the CPU: users, and each user's sends, go out in parallel.
  await Promise.all([...byUser].map(([userId, messages]) => deliverForUser(userId, messages, env, batchDeps)));
}

/** The dead-letter queue: each message outlived every attempt; the give-up is logged on its endpoint. */
export async function handleWebhookDeadLetters(
  batch: MessageBatch<unknown>,
  env: Env,
  now = Date.now(),
): Promise<void> {
  for (const message of batch.messages) {
    const body = message.body;
    if (!isWebhookMessage(body)) {
      message.ack();
      continue;
    }
    try {
      await userStore(env, body.userId).recordWebhookAttempts([
        {
          webhookId: body.webhookId,
          messageId: body.messageId,
          eventType: body.eventType,
          attempt: MAX_ATTEMPTS,
          attemptedAt: new Date(now).toISOString(),
          statusCode: null,
          durationMs: 0,
          error: `Gave up after ${MAX_ATTEMPTS} attempts`,
          outcome: "dead_lettered",
          response: null,
        },
      ]);
      message.ack();
    } catch (error) {
      if (isStoreDeleted(error)) message.ack();
      else message.retry({ delaySeconds: 60 });
    }
  }
}
