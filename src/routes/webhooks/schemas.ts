import { z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { WEBHOOK_EVENTS, type WebhookEvent } from "../../changes/kinds";
import { BEARER } from "../../http/router";
import { badRequest } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { TimestampSchema } from "../../lib/schemas";
import { ownDataOnly } from "../../sharing/read-scope";
import type { StoredAttempt } from "../../user-store/webhook-attempts";
import type { WebhookRecord } from "../../user-store/webhooks";
import { endpointProblems } from "../../webhooks/url-safety";

/** What every webhook operation shares: the tag, a bearer token, and only the caller's own endpoints. */
export const WEBHOOK_ROUTE = { tags: ["webhooks"], security: BEARER, middleware: [requireUser, ownDataOnly] };

export const WebhookEventSchema = z.enum(WEBHOOK_EVENTS as [WebhookEvent, ...WebhookEvent[]]).openapi({
  description: 'An event an endpoint listens for (docs/changes.md "Events")',
  example: "session.updated",
});

const UrlSchema = z.string().max(LIMITS.webhookUrlLength).openapi({
  description:
    "Where deliveries are POSTed: https, a public host (no private, loopback or link-local address, also after DNS). With NOWATCH_ENV=local also http://127.0.0.1:* and http://localhost:*.",
  example: "https://example.com/nowatch/webhooks",
});

const EventsSchema = z
  .array(WebhookEventSchema)
  .min(1)
  .max(WEBHOOK_EVENTS.length * 2)
  .transform((events) => [...new Set(events)])
  .openapi({ description: "The events to deliver (duplicates are ignored)" });

export const CreateWebhookSchema = z.object({ url: UrlSchema, events: EventsSchema }).openapi("WebhookCreate");

export const UpdateWebhookSchema = z
  .object({
    url: UrlSchema.optional(),
    events: EventsSchema.optional(),
    enabled: z
      .boolean()
      .optional()
      .openapi({ description: "`true` re-enables an endpoint that was disabled (and clears its failure streak)" }),
  })
  .openapi("WebhookUpdate");

/** The URL rules, applied by the routes (they need NOWATCH_ENV): a 400 naming each problem. */
export function checkEndpointUrl(url: string, env: Pick<Env, "NOWATCH_ENV">): void {
  const problems = endpointProblems(url, env.NOWATCH_ENV === "local");
  if (problems.length > 0) throw badRequest(problems);
}

export const WebhookIdParamsSchema = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "wh_3mJr7AoUXx2Wqd5xPaHq6Q" }),
});

const COMMON = {
  id: z.string().openapi({ example: "wh_3mJr7AoUXx2Wqd5xPaHq6Q" }),
  url: z.string().openapi({ example: "https://example.com/nowatch/webhooks" }),
  events: z.array(WebhookEventSchema),
  createdAt: TimestampSchema,
};

export const CreatedWebhookSchema = z
  .object({
    ...COMMON,
    secret: z.string().openapi({
      description: "`whsec_` + base64 of the signing key. Shown only here and by rotate-secret: store it now.",
      example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    }),
  })
  .openapi("WebhookCreated");

export const WebhookSchema = z
  .object({
    ...COMMON,
    updatedAt: TimestampSchema,
    enabled: z.boolean(),
    disabledAt: TimestampSchema.nullable(),
    disabledReason: z.string().nullable(),
    failingSince: TimestampSchema.nullable().openapi({ description: "First failed attempt since the last success" }),
    lastSuccessAt: TimestampSchema.nullable(),
  })
  .openapi("Webhook");

/** An endpoint as listed: everything but its secret. */
export const toWebhookDto = (record: WebhookRecord): z.infer<typeof WebhookSchema> => ({
  id: record.id,
  url: record.url,
  events: record.events,
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
  enabled: record.enabled,
  disabledAt: record.disabledAt,
  disabledReason: record.disabledReason,
  failingSince: record.failingSince,
  lastSuccessAt: record.lastSuccessAt,
});

export const RotatedSecretSchema = z
  .object({
    id: z.string(),
    secret: z.string().openapi({ description: "The new secret; shown only here" }),
    previousSecretExpiresAt: TimestampSchema.openapi({
      description: `Until then deliveries carry a signature by the previous secret too (${LIMITS.webhookPreviousSecretHours} h)`,
    }),
  })
  .openapi("WebhookSecretRotated");

export const DeliveriesQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(LIMITS.webhookDeliveriesMax)
    .default(LIMITS.webhookDeliveriesDefault)
    .openapi({ description: `Attempts to list, newest first, at most ${LIMITS.webhookDeliveriesMax}` }),
});

export const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: "The attempt's id" }),
    messageId: z.string().openapi({ description: "The `webhook-id` header: the same on every retry of an event" }),
    eventType: WebhookEventSchema,
    attempt: z.number().int().openapi({ description: "1 for the first try" }),
    attemptedAt: TimestampSchema,
    outcome: z.enum(["succeeded", "failed", "dead_lettered"]).openapi({
      description: "`failed` is retried with backoff; `dead_lettered`: given up after the last attempt",
    }),
    statusCode: z.number().int().nullable().openapi({ description: "The receiver's status; null when none came" }),
    durationMs: z.number().int(),
    error: z.string().nullable(),
    response: z.string().nullable().openapi({ description: "The start of the receiver's answer" }),
  })
  .openapi("WebhookDelivery");

export const toDeliveryDto = (attempt: StoredAttempt): z.infer<typeof DeliverySchema> => ({
  id: String(attempt.id),
  messageId: attempt.messageId,
  eventType: attempt.eventType as WebhookEvent,
  attempt: attempt.attempt,
  attemptedAt: attempt.attemptedAt,
  outcome: attempt.outcome,
  statusCode: attempt.statusCode,
  durationMs: attempt.durationMs,
  error: attempt.error,
  response: attempt.response,
});
