import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { authenticate } from "../auth/middleware";
import { findUserWithShare } from "../db/shares";
import { findSessionUser } from "../db/users";
import type { AppEnv } from "../http/app-env";
import { badRequest, forbidden } from "../lib/errors";
import { USER_ID_PATTERN } from "../lib/ids";
import type { AccessRecord } from "../user-store/access-log";
import {
  grantRead,
  loggedRangeStart,
  NO_ACCESS,
  ownScope,
  type ReadGrant,
  type ReadScope,
  type ShareableDataType,
  sharedScope,
} from "./policy";

/**
 * The read scope of an HTTP request (contract §1 "Shared headers"): whose data it reads, built once by
 * `requireReader` from the `shared-user` header, then asked per data type by `authorizeRead`, which applies the
 * policy (src/sharing/policy.ts) and builds the access-log record the owner's store writes with the read.
 */

/** The header naming whose data a read is for. Read, and checked, only by `requireReader`. */
export const SHARED_USER_HEADER = "shared-user";

/**
 * The header as documented on every route that reads personal data (an OpenAPI parameter, not a validator: the
 * middleware is its one reader, and answers a malformed value with 400 itself).
 */
export const SHARED_USER_PARAMETER = {
  name: SHARED_USER_HEADER,
  in: "header",
  required: false,
  description:
    "Id of a user who shares their data with you: read their data (from the share's sharedSince on). Omit it, or send your own id, to read your own.",
  schema: { type: "string", pattern: USER_ID_PATTERN.source },
} as const;

/**
 * For routes that read personal data: authenticates the caller and builds the request's read scope. With a
 * `shared-user` header naming another user, the caller's lookup and their share from that user are ONE D1 query
 * (`findUserWithShare`), so a shared read costs no round trip of its own. A malformed header answers 400 once the
 * caller is authenticated (a stranger without a token still gets the 401).
 */
export const requireReader = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header(SHARED_USER_HEADER);
  const named = header !== undefined && USER_ID_PATTERN.test(header) ? header : undefined;
  const { user, share } = await authenticate(c, async (db, userId, sessionId) => {
    if (named !== undefined && named !== userId) return findUserWithShare(db, userId, sessionId, named);
    const found = await findSessionUser(db, userId, sessionId);
    return found && { ...found, share: null };
  });
  if (header !== undefined && named === undefined) throw badRequest(`${SHARED_USER_HEADER} must be a user id`);
  c.set("readScope", named === undefined ? ownScope(user.id) : sharedScope(user.id, named, share));
  await next();
});

/** A read the policy allowed, and the record of it the owner's store writes with the data (null: own data). */
export interface AuthorizedRead {
  grant: ReadGrant;
  access: AccessRecord | null;
}

/** The range a route was asked for, as sent (ISO date or date-time): recorded, cut at `sharedSince`, in the log. */
export interface RequestedRange {
  start?: string;
  end?: string;
}

/**
 * Whether this request may read `dataType` of the scope's owner: the grant (with its cut) or a 403 `NO_ACCESS`,
 * the same answer for an unknown user, a user who shares nothing and a type outside the share.
 */
export function authorizeRead(
  c: Context<AppEnv>,
  dataType: ShareableDataType,
  range: RequestedRange = {},
): AuthorizedRead {
  const grant = grantRead(readScopeOf(c), dataType);
  if (grant === null) throw forbidden(NO_ACCESS);
  const access: AccessRecord | null = grant.viaShare
    ? {
        viewerId: grant.viewerId,
        dataType,
        path: c.req.path,
        rangeStart: loggedRangeStart(grant, range.start),
        rangeEnd: range.end ?? null,
      }
    : null;
  return { grant, access };
}

function readScopeOf(c: Context<AppEnv>): ReadScope {
  const scope = c.get("readScope");
  // A route that reads personal data without `requireReader` is a programming error, never a caller's.
  if (!scope) throw new Error("authorizeRead needs the requireReader middleware");
  return scope;
}

/** Whether the request names another user's data at all (any `shared-user` value, well-formed or not). */
export const namesSharedUser = (c: Context<AppEnv>): boolean => c.req.header(SHARED_USER_HEADER) !== undefined;

/** For write routes, after `requireUser`: a request carrying `shared-user` is refused (403) before anything else. */
export const ownDataOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (namesSharedUser(c)) {
    throw forbidden(`Data shared with you is read-only: remove the ${SHARED_USER_HEADER} header to write your own`);
  }
  await next();
});
