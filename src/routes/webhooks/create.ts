import { createRoute } from "@hono/zod-openapi";
import type { Router } from "../../http/router";
import { conflict, conflictResponse, errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { userStore } from "../../user-store/user-store";
import { newWebhookSecret } from "../../webhooks/signing";
import { CreatedWebhookSchema, CreateWebhookSchema, checkEndpointUrl, WEBHOOK_ROUTE } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/webhooks",
  operationId: "webhookscontroller_create",
  ...WEBHOOK_ROUTE,
  summary: "Register a webhook endpoint",
  description: `Deliveries of the caller's changes to \`url\`, for the listed \`events\`, signed per Standard Webhooks with the returned \`secret\` (shown only here). At most ${LIMITS.webhooksPerUser} endpoints per user (409 beyond). A URL that is not https, names a private, loopback or link-local address, or carries credentials gets 400. See docs/changes.md.`,
  request: { body: jsonBody(CreateWebhookSchema) },
  responses: {
    201: jsonResponse(CreatedWebhookSchema, "The endpoint, with its signing secret"),
    ...errorResponses,
    ...forbiddenResponse,
    ...conflictResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { url, events } = c.req.valid("json");
    checkEndpointUrl(url, c.env);
    const user = c.get("user");
    const secret = newWebhookSecret();
    const created = await userStore(c.env, user.id).createWebhook({ userId: user.id, url, events, secret });
    if (created === null) throw conflict(`At most ${LIMITS.webhooksPerUser} webhook endpoints per user`);
    return c.json(
      { id: created.id, url: created.url, events: created.events, secret, createdAt: created.createdAt },
      201,
    );
  });
}
