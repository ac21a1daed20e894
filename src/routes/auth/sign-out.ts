import { createRoute, z } from "@hono/zod-openapi";
import { requireAppClient } from "../../auth/app-client";
import { revokeSessions } from "../../auth/sessions";
import { verifyAccessToken, verifyRefreshToken } from "../../auth/tokens";
import { getDb } from "../../db";
import { bumpTokenVersion, findUserById } from "../../db/users";
import type { Router } from "../../http/router";
import { errorResponses, unauthorized } from "../../lib/errors";
import { jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";

export const SignOutRequestSchema = z
  .object({
    refresh: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .openapi({ description: "A refresh token of the account, for when no valid access token is at hand" }),
  })
  .openapi("SignOutRequest");

const route = createRoute({
  method: "post",
  path: "/v1/auth/sign-out",
  operationId: "authcontroller_signoutv1",
  tags: ["auth"],
  summary: "Sign out",
  description:
    "Revokes every token of the user, on every device: access tokens stop working at once and refresh tokens can no longer be used. The user is identified by `Authorization: Bearer <access token>` or, failing that, by a refresh token in the body.",
  security: [{ appClient: [], bearer: [] }, { appClient: [] }],
  middleware: [requireAppClient],
  request: { body: { required: false, content: { "application/json": { schema: SignOutRequestSchema } } } },
  responses: { 201: jsonResponse(StatusSuccessSchema, "Signed out everywhere"), ...errorResponses },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    // The body is optional, so the typed accessor cannot see it; the validator has run (or supplied `{}`).
    const { refresh } = (c.req.valid as (target: "json") => z.infer<typeof SignOutRequestSchema>)("json");
    let identity: { sub: string; ver: number } | null = null;
    if (bearer) {
      const verified = await verifyAccessToken(c.env, bearer);
      if (verified.ok) identity = verified.claims;
    }
    if (!identity && refresh) {
      const verified = await verifyRefreshToken(c.env, refresh);
      if (verified.ok) identity = verified.claims;
    }
    const db = getDb(c.env.DB);
    const user = identity ? await findUserById(db, identity.sub) : undefined;
    if (!identity || !user || user.tokenVersion !== identity.ver) throw unauthorized();
    await db.batch([bumpTokenVersion(db, user.id), ...revokeSessions(db, user.id)]);
    return c.json(SUCCESS, 201);
  });
}
