import { createRoute, z } from "@hono/zod-openapi";
import { requireAppClient } from "../../auth/app-client";
import { rotateRefreshToken } from "../../auth/sessions";
import { getDb } from "../../db";
import { APP_CLIENT, type Router } from "../../http/router";
import { errorResponses, unauthorized } from "../../lib/errors";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { TokenPairSchema } from "./schemas";

export const RefreshRequestSchema = z
  .object({
    refresh: z.string().min(1).max(4096).openapi({ description: "The refresh token from a login or refresh" }),
  })
  .openapi("RefreshRequest");

const route = createRoute({
  method: "post",
  path: "/v1/auth/refresh",
  operationId: "authcontroller_refreshtokenv1",
  tags: ["auth"],
  summary: "Create refresh token",
  description:
    "Exchanges a refresh token for a new access token and a new refresh token. The presented refresh token is spent: presenting it again revokes every token of its login session.",
  security: APP_CLIENT,
  middleware: [requireAppClient],
  request: { body: jsonBody(RefreshRequestSchema) },
  responses: { 201: jsonResponse(TokenPairSchema, "A new token pair"), ...errorResponses },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const db = getDb(c.env.DB);
    const result = await rotateRefreshToken(db, c.env, c.req.valid("json").refresh);
    if (!result.ok) {
      console.warn(JSON.stringify({ event: "refresh_refused", reason: result.reason, requestId: c.get("requestId") }));
      throw unauthorized();
    }
    return c.json(result.pair, 201);
  });
}
