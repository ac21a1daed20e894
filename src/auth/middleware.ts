import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { type Db, getDb } from "../db";
import type { User } from "../db/schema";
import { findSessionUser } from "../db/users";
import type { AppEnv } from "../http/app-env";
import { type ApiError, forbidden, unauthorized } from "../lib/errors";
import { NO_ACCESS } from "../sharing/policy";
import { verifyAccessToken } from "./tokens";

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9_.-]+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** What a caller lookup answers: the user row and whether the token's session is live (null: no such user). */
export interface CallerRow {
  user: User;
  sessionLive: boolean;
}

/** Loads the caller named by a verified token's `sub` and `sid`, in one D1 query. */
export type CallerLoader<T extends CallerRow> = (db: Db, userId: string, sessionId: string) => Promise<T | undefined>;

/**
 * Authenticates the caller from `Authorization: Bearer <access JWT>` and puts them on the context. The acting user
 * comes only from the verified `sub`; the user row and the token's session (`sid`) are loaded from D1 on every
 * request, so deletion, sign-out, session revocation and admin changes act at once. Every failure gets the same
 * public 401; the reason is logged.
 *
 * `load` is the one D1 query of the lookup: `findSessionUser`, or a query that answers more in the same round trip
 * (the read scope's share, src/sharing/read-scope.ts). Authentication only checks what it returns about the caller.
 */
export async function authenticate<T extends CallerRow>(c: Context<AppEnv>, load: CallerLoader<T>): Promise<T> {
  const token = bearerToken(c.req.header("authorization"));
  const refuse = (reason: string) => {
    console.warn(JSON.stringify({ event: "auth_refused", reason, requestId: c.get("requestId") }));
    return unauthorized();
  };
  if (!token) throw refuse("missing_or_malformed_header");
  const verified = await verifyAccessToken(c.env, token);
  if (!verified.ok) throw refuse(verified.reason);
  const { sub, sid, ver } = verified.claims;
  const found = await load(getDb(c.env.DB), sub, sid);
  if (!found) throw refuse("no_user");
  if (found.user.tokenVersion !== ver) throw refuse("revoked");
  // The session is checked on every request, so revoking it ends its access tokens at once (not at expiry).
  if (!found.sessionLive) throw refuse("session_revoked");
  c.set("user", found.user);
  c.set("sessionFamily", sid);
  return found;
}

/** Routes that act on the caller's own account or data: `middleware: [requireUser]`. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  await authenticate(c, findSessionUser);
  await next();
});

/**
 * The answer to a request that passed `requireUser` but reached a UserStore wiped by account deletion meanwhile
 * (docs/auth.md "Account deletion"): what the same request gets a moment later, once the D1 row is gone. The owner
 * gets the generic 401 of an unknown account; a sharee reading that owner gets the 403 of a missing share.
 */
export function deletedStoreRefusal(c: Context<AppEnv>): ApiError {
  if (c.get("readScope")?.viaShare) return forbidden(NO_ACCESS);
  console.warn(JSON.stringify({ event: "auth_refused", reason: "store_deleted", requestId: c.get("requestId") }));
  return unauthorized();
}

/** Admin operations: `isAdmin` as stored in D1 on this request (never a token claim). Use after `requireUser`. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("user").isAdmin) throw forbidden("Admin access required");
  await next();
});

/** Both, for routes: `middleware: adminOnly`. */
export const adminOnly = [requireUser, requireAdmin] as const;
