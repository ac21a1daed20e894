import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { getDb } from "../db";
import { type ActiveShare, findActiveShare } from "../db/shares";
import { badRequest, forbidden } from "../lib/errors";
import { USER_ID_PATTERN } from "../lib/ids";
import { SHARED_USER_HEADER } from "../lib/schemas";
import { nowIso } from "../lib/time";
import { queueAccessLog } from "./access-log-buffer";

/**
 * Whose personal data a request reads (architecture.md "Access control"): the caller's own, or through the
 * `shared-user` header (contract §1 "Shared headers") another user's, authorized by an ACCEPTED, non-revoked,
 * non-expired share from that user to the caller. Data routes call `resolveReadScope` on reads and
 * `refuseSharedWrite` on writes; exports and the queue consumer call `findActiveShare`.
 */

export { SHAREABLE_DATA_TYPES, type ShareableDataType } from "../db/schema";
export { findActiveShare, SHARED_USER_HEADER };

/** One answer for unknown users, users who share nothing with the caller and types outside the share: no account enumeration. */
export const NO_ACCESS = "You have no access to this user's data";

export interface ReadScope {
  ownerId: string;
  /** ISO date-time; data strictly before it is invisible; null for own data */
  since: string | null;
  viaShare: boolean;
  /** allowed data types, null = all */
  types: readonly string[] | null;
}

export interface DataAccess {
  /** One of SHAREABLE_DATA_TYPES: what the route reads. */
  dataType: string;
  /** The requested range as the route received it (ISO date or date-time); recorded, clipped, in the access log. */
  rangeStart?: string;
  rangeEnd?: string;
}

/**
 * Resolves whose data this request reads: the caller's own, or via `shared-user` an accepted share to the caller.
 * Throws ApiError 400 (header not a user id) or 403 (no such share, or the share excludes `dataType`). One D1 query
 * at most, cached on the request context. Records an access-log entry (waitUntil) when viaShare.
 */
export async function resolveReadScope(c: Context<AppEnv>, access: DataAccess): Promise<ReadScope> {
  const caller = c.get("user");
  const ownerId = c.req.header(SHARED_USER_HEADER);
  if (ownerId === undefined || ownerId === caller.id) {
    return { ownerId: caller.id, since: null, viaShare: false, types: null };
  }
  if (!USER_ID_PATTERN.test(ownerId)) throw badRequest(`${SHARED_USER_HEADER} must be a user id`);
  const share = await cachedShare(c, ownerId, caller.id);
  if (!share || (share.types !== null && !share.types.includes(access.dataType))) throw forbidden(NO_ACCESS);
  const scope: ReadScope = { ownerId, since: share.sharedSince, viaShare: true, types: share.types };
  recordAccess(c, scope, access);
  return scope;
}

/** For write routes: throws 403 when a `shared-user` header is present. Shares are read-only. */
export function refuseSharedWrite(c: Context<AppEnv>): void {
  if (c.req.header(SHARED_USER_HEADER) !== undefined) {
    throw forbidden(`Data shared with you is read-only: remove the ${SHARED_USER_HEADER} header to write your own`);
  }
}

/**
 * The later of `start` and the scope's `since`: a range that starts before the share's date is cut, not refused.
 * Returns `start` unchanged for own data or when it is already later; `since` (an ISO date-time) otherwise. With
 * day-granular ranges (`YYYY-MM-DD`), also drop the first day's samples before `since` (see `isVisible`).
 */
export function clipRange(scope: ReadScope, start: string | undefined): string | undefined {
  if (scope.since === null) return start;
  if (start === undefined) return scope.since;
  const startMs = Date.parse(start);
  return !Number.isNaN(startMs) && startMs >= Date.parse(scope.since) ? start : scope.since;
}

/** Whether a record at this instant (ISO date-time or epoch milliseconds) is visible in the scope. */
export function isVisible(scope: ReadScope, at: string | number): boolean {
  if (scope.since === null) return true;
  const ms = typeof at === "number" ? at : Date.parse(at);
  return ms >= Date.parse(scope.since);
}

/** Per request, the share lookup runs once whatever the number of reads (the hot path of every shared read). */
function cachedShare(c: Context<AppEnv>, ownerId: string, viewerId: string): Promise<ActiveShare | null> {
  let lookups = c.get("shareLookups");
  if (!lookups) {
    lookups = new Map();
    c.set("shareLookups", lookups);
  }
  let lookup = lookups.get(ownerId);
  if (!lookup) {
    lookup = findActiveShare(getDb(c.env.DB), ownerId, viewerId);
    lookups.set(ownerId, lookup);
  }
  return lookup;
}

/** Queues the owner's access-log row; it is written shortly after the response, batched (access-log-buffer.ts). */
function recordAccess(c: Context<AppEnv>, scope: ReadScope, access: DataAccess): void {
  const caller = c.get("user");
  queueAccessLog(
    c.executionCtx,
    getDb(c.env.DB),
    {
      ownerId: scope.ownerId,
      viewerId: caller.id,
      viewerEmail: caller.email,
      dataType: access.dataType,
      path: c.req.path,
      rangeStart: clipRange(scope, access.rangeStart) ?? null,
      rangeEnd: access.rangeEnd ?? null,
      at: nowIso(),
    },
    c.get("requestId"),
  );
}
