import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { getDb } from "../db";
import { findUserWithShare } from "../db/shares";
import { findSessionUser } from "../db/users";
import { type ApiError, forbidden, unauthorized } from "../lib/errors";
import { USER_ID_PATTERN } from "../lib/ids";
import { NO_ACCESS, SHARED_USER_HEADER } from "../sharing/access";
import { verifyAccessToken } from "./tokens";

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9_.-]+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * Authenticates the caller from `Authorization: Bearer <access JWT>`. The acting user comes only from the verified
 * `sub`; the user row and the token's session (`sid`) are loaded from D1 on every request, so deletion, sign-out,
 * session revocation and admin changes act at once.
 * Every failure gets the same public 401; the reason is logged. On a read with a well-formed `shared-user` header the
 * same D1 query also fetches the caller's active share from that user, and seeds the request's share cache
 * (src/sharing/access.ts), so a shared read costs no extra D1 round trip.
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
  const db = getDb(c.env.DB);
  const { sub, sid } = verified.claims;
  const ownerId = c.req.header("shared-user");
  let found: Awaited<ReturnType<typeof findSessionUser>>;
  if (ownerId !== undefined && ownerId !== sub && USER_ID_PATTERN.test(ownerId)) {
    const withShare = await findUserWithShare(db, sub, sid, ownerId);
    found = withShare;
    if (withShare) c.set("shareLookups", new Map([[ownerId, Promise.resolve(withShare.share)]]));
  } else {
    found = await findSessionUser(db, sub, sid);
  }
  if (!found) throw refuse("no_user");
  const { user } = found;
  if (user.tokenVersion !== verified.claims.ver) throw refuse("revoked");
  // The session is checked on every request, so revoking it ends its access tokens at once (not at expiry).
  if (!found.sessionLive) throw refuse("session_revoked");
  c.set("user", user);
  c.set("sessionFamily", verified.claims.sid);
  await next();
});

/**
 * The answer to a request that passed `requireUser` but reached a UserStore wiped by account deletion meanwhile
 * (docs/auth.md "Account deletion"): what the same request gets a moment later, once the D1 row is gone. The owner
 * gets the generic 401 of an unknown account; a sharee reading that owner gets the 403 of a missing share.
 */
export function deletedStoreRefusal(c: Context<AppEnv>): ApiError {
  const caller = c.get("user");
  const owner = c.req.header(SHARED_USER_HEADER);
  if (caller && owner !== undefined && owner !== caller.id) return forbidden(NO_ACCESS);
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
