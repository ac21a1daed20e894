import { createRoute } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { requireAppClient } from "../../auth/app-client";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "../../auth/passwords";
import { startSession } from "../../auth/sessions";
import { getDb } from "../../db";
import type { User } from "../../db/schema";
import { findUserByEmail } from "../../db/users";
import { APP_CLIENT, type Router } from "../../http/router";
import { errorResponses, tooManyRequestsResponse, unauthorized } from "../../lib/errors";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { limitDescription, limited } from "../../rate-limiter/guard";
import { CredentialsSchema, TokenPairSchema } from "./schemas";

const INVALID = "Invalid email or password";

/**
 * Checks credentials. An unknown email still costs one PBKDF2 derivation and gets the same message as a wrong
 * password, so neither the answer nor its timing reveals whether an account exists.
 */
export async function authenticate(env: Env, email: string, password: string): Promise<User> {
  const user = await findUserByEmail(getDb(env.DB), email);
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) throw unauthorized(INVALID);
  return user;
}

const LOGIN_LIMIT = `${limitDescription("login", "failed logins")} Once limited, even the right password is refused. The three login operations share the counters; a successful login empties the email's counter (not the IP's).`;

/**
 * RFC 9745: the deprecated login says so on every answer, with the date since which it is deprecated (the day this
 * server first offered POST /v2/auth/login, 2026-11-25; the contract marks v1 deprecated without a date) and a link to
 * its successor (RFC 5829 `successor-version`) under the path as requested, so the `/nowatch` prefix is kept.
 */
const LOGIN_DEPRECATED_SINCE = "@1795564800";
const deprecation: MiddlewareHandler = async (c, next) => {
  await next();
  const successor = new URL(c.req.url).pathname.replace(/\/v1\/auth\/login$/, "/v2/auth/login");
  c.res.headers.set("Deprecation", LOGIN_DEPRECATED_SINCE);
  c.res.headers.append("Link", `<${successor}>; rel="successor-version"`);
};

const variants = [
  { path: "/v2/auth/login", operationId: "authcontroller_loginv2", summary: "Login", deprecated: false, admin: false },
  {
    path: "/v1/auth/login",
    operationId: "authcontroller_loginv1",
    summary: "Login (deprecated: use POST /v2/auth/login)",
    deprecated: true,
    admin: false,
  },
  {
    path: "/v2/auth/login/admin",
    operationId: "authcontroller_loginadminv1",
    summary: "Admin login (refuses accounts that are not admins)",
    deprecated: false,
    admin: true,
  },
] as const;

export default function mount(app: Router) {
  for (const variant of variants) {
    const route = createRoute({
      method: "post",
      path: variant.path,
      operationId: variant.operationId,
      tags: ["auth"],
      summary: variant.summary,
      deprecated: variant.deprecated,
      security: APP_CLIENT,
      middleware: variant.deprecated ? [deprecation, requireAppClient] : [requireAppClient],
      request: { body: jsonBody(CredentialsSchema) },
      description: variant.deprecated
        ? `${LOGIN_LIMIT} Every answer carries \`Deprecation: ${LOGIN_DEPRECATED_SINCE}\` (RFC 9745) and \`Link: </v2/auth/login>; rel="successor-version"\`.`
        : LOGIN_LIMIT,
      responses: {
        201: jsonResponse(TokenPairSchema, "Access and refresh token information"),
        ...errorResponses,
        ...tooManyRequestsResponse,
      },
    });
    app.openapi(route, async (c) => {
      const { email, password } = c.req.valid("json");
      // The three variants share one counter per account and per IP: a guess is a guess, whichever path it takes.
      const user = await limited(c, "login", email, async () => {
        const user = await authenticate(c.env, email, password);
        if (variant.admin && !user.isAdmin) throw unauthorized(INVALID);
        return user;
      });
      return c.json(await startSession(getDb(c.env.DB), c.env, user), 201);
    });
  }
}
