import { createRoute } from "@hono/zod-openapi";
import type { Router } from "../../http/router";
import { errorResponses, forbiddenResponse, notFound, notFoundResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { userStore } from "../../user-store/user-store";
import { newWebhookSecret } from "../../webhooks/signing";
import { NO_WEBHOOK, webhookId } from "./read";
import {
  checkEndpointUrl,
  RotatedSecretSchema,
  toWebhookDto,
  UpdateWebhookSchema,
  WEBHOOK_ROUTE,
  WebhookIdParamsSchema,
  WebhookSchema,
} from "./schemas";

const updateRoute = createRoute({
  ...WEBHOOK_ROUTE,
  method: "patch",
  path: "/v1/webhooks/{id}",
  operationId: "webhookscontroller_update",
  summary: "Change a webhook endpoint",
  description:
    "Replaces the fields sent: `url` (same rules as on creation), `events`, `enabled` (`true` re-enables an endpoint disabled after failing for days; `false` pauses it, and what was waiting for it is dropped). 404 for an unknown id or another user's.",
  request: { params: WebhookIdParamsSchema, body: jsonBody(UpdateWebhookSchema) },
  responses: {
    200: jsonResponse(WebhookSchema, "The endpoint as changed"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
  },
});

const rotateRoute = createRoute({
  ...WEBHOOK_ROUTE,
  method: "post",
  path: "/v1/webhooks/{id}/rotate-secret",
  operationId: "webhookscontroller_rotatesecret",
  summary: "Rotate a webhook endpoint's secret",
  description: `A new signing secret, shown only in this answer. For ${LIMITS.webhookPreviousSecretHours} hours deliveries carry signatures by both the new and the previous secret, so a receiver can switch without missing one. 404 for an unknown id or another user's.`,
  request: { params: WebhookIdParamsSchema },
  responses: {
    200: jsonResponse(RotatedSecretSchema, "The new secret"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
  },
});

const deleteRoute = createRoute({
  ...WEBHOOK_ROUTE,
  method: "delete",
  path: "/v1/webhooks/{id}",
  operationId: "webhookscontroller_delete",
  summary: "Remove a webhook endpoint",
  description:
    "Removes the endpoint, what waits to be delivered to it and its attempt log. 404 for an unknown id or another user's.",
  request: { params: WebhookIdParamsSchema },
  responses: {
    200: jsonResponse(StatusSuccessSchema, "The endpoint was removed"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(updateRoute, async (c) => {
    const id = webhookId(c.req.valid("param").id);
    const patch = c.req.valid("json");
    if (patch.url !== undefined) checkEndpointUrl(patch.url, c.env);
    const updated = await userStore(c.env, c.get("user").id).updateWebhook(id, patch);
    if (updated === null) throw notFound(NO_WEBHOOK);
    return c.json(toWebhookDto(updated), 200);
  });
  app.openapi(rotateRoute, async (c) => {
    const id = webhookId(c.req.valid("param").id);
    const secret = newWebhookSecret();
    const rotated = await userStore(c.env, c.get("user").id).rotateWebhookSecret(id, secret);
    if (rotated === null) throw notFound(NO_WEBHOOK);
    return c.json({ id, secret, previousSecretExpiresAt: rotated.previousSecretUntil }, 200);
  });
  app.openapi(deleteRoute, async (c) => {
    const id = webhookId(c.req.valid("param").id);
    if (!(await userStore(c.env, c.get("user").id).deleteWebhook(id))) throw notFound(NO_WEBHOOK);
    return c.json(SUCCESS, 200);
  });
}
