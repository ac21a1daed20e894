import { createRoute, z } from "@hono/zod-openapi";
import type { Router } from "../../http/router";
import { errorResponses, forbiddenResponse, notFound, notFoundResponse } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { userStore } from "../../user-store/user-store";
import { isWebhookId } from "../../user-store/webhooks";
import {
  DeliveriesQuerySchema,
  DeliverySchema,
  toDeliveryDto,
  toWebhookDto,
  WEBHOOK_ROUTE,
  WebhookIdParamsSchema,
  WebhookSchema,
} from "./schemas";

export const NO_WEBHOOK = "No webhook with this id";

/** The path's id, or 404 for one that cannot be an endpoint id (the store is never asked). */
export function webhookId(id: string): string {
  if (!isWebhookId(id)) throw notFound(NO_WEBHOOK);
  return id;
}

const listRoute = createRoute({
  ...WEBHOOK_ROUTE,
  method: "get",
  path: "/v1/webhooks",
  operationId: "webhookscontroller_list",
  summary: "List your webhook endpoints",
  description: "The caller's endpoints, oldest first, with their health; never their secrets.",
  responses: {
    200: jsonResponse(z.array(WebhookSchema), "The caller's endpoints"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

const getRoute = createRoute({
  ...WEBHOOK_ROUTE,
  method: "get",
  path: "/v1/webhooks/{id}",
  operationId: "webhookscontroller_get",
  summary: "One of your webhook endpoints",
  description: "An endpoint of the caller's, without its secret. 404 for an unknown id or another user's.",
  request: { params: WebhookIdParamsSchema },
  responses: {
    200: jsonResponse(WebhookSchema, "The endpoint"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
  },
});

const deliveriesRoute = createRoute({
  ...WEBHOOK_ROUTE,
  method: "get",
  path: "/v1/webhooks/{id}/deliveries",
  operationId: "webhookscontroller_deliveries",
  summary: "Recent delivery attempts of an endpoint",
  description:
    "Each attempt, newest first: the event, which try it was, the receiver's status code, the duration, the error and the start of the answer. A give-up after the last retry is listed as `dead_lettered`. 404 for an unknown id or another user's.",
  request: { params: WebhookIdParamsSchema, query: DeliveriesQuerySchema },
  responses: {
    200: jsonResponse(z.array(DeliverySchema), "The endpoint's recent attempts"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(listRoute, async (c) => {
    const webhooks = await userStore(c.env, c.get("user").id).listWebhooks();
    return c.json(webhooks.map(toWebhookDto), 200);
  });
  app.openapi(getRoute, async (c) => {
    const found = await userStore(c.env, c.get("user").id).getWebhook(webhookId(c.req.valid("param").id));
    if (found === null) throw notFound(NO_WEBHOOK);
    return c.json(toWebhookDto(found), 200);
  });
  app.openapi(deliveriesRoute, async (c) => {
    const id = webhookId(c.req.valid("param").id);
    const { limit } = c.req.valid("query");
    const attempts = await userStore(c.env, c.get("user").id).webhookDeliveries(id, limit);
    if (attempts === null) throw notFound(NO_WEBHOOK);
    return c.json(attempts.map(toDeliveryDto), 200);
  });
}
