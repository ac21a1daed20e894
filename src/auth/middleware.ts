import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { getDb } from "../db";
import { findUserById } from "../db/users";
import { forbidden, unauthorized } from "../lib/errors";
import { verifyAccessToken } from "./tokens";

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9_.-]+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * Authenticates the caller from `Authorization: Bearer <access JWT>`. The acting user comes only from the verified
 * `sub`; the user row is loaded from D1 on every request so deletion, sign-out and admin changes act at once.
 * Every failure gets the same public 401; the reason is logged.
 */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  const refuse = (reason: string) => {
    console.warn(JSON.stringify({ event: "auth_refused", reason, requestId: c.get("requestId") }));
    return unauthorized();
  };
  if (!token) throw refuse("missing_or_malformed_header");
  const verified = await verifyAccessToken(c.env, token);
  if (!verified.ok) throw refuse(verified.reason);
  const user = await findUserById(getDb(c.env.DB), verified.claims.sub);
  if (!user) throw refuse("no_user");
  if (user.tokenVersion !== verified.claims.ver) throw refuse("revoked");
  c.set("user", user);
  c.set("sessionFamily", verified.claims.sid);
  await next();
});

/** Admin operations: `isAdmin` as stored in D1 on this request (never a token claim). Use after `requireUser`. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("user").isAdmin) throw forbidden("Admin access required");
  await next();
});

/** Both, for routes: `middleware: adminOnly`. */
export const adminOnly = [requireUser, requireAdmin] as const;
