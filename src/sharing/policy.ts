import type { ShareableDataType } from "../db/schema";
import { SECONDS_PER_DAY } from "../lib/time";

/**
 * The read policy, pure (architecture.md "Access control"): may viewer V read owner O's data of type T, and from
 * which instant on. Every cross-user read goes through `grantRead`, whether it arrives as an HTTP request
 * (src/sharing/read-scope.ts), an export job or the change feed; and every cut of the data at `sharedSince` goes
 * through the helpers below, so the security-critical comparison is written once.
 */

export type { ShareableDataType };

/** What an active share grants, as stored (src/db/shares.ts `ActiveShare`). */
export interface ShareGrant {
  /** ISO date-time: data strictly before it is never visible through the share. */
  sharedSince: string;
  /** The data types the share is limited to; null = all. */
  types: readonly ShareableDataType[] | null;
  /** ISO date-time after which the share behaves as revoked; null = no end. */
  expiresAt: string | null;
}

/**
 * Whose data a reader asked for: their own, or another user's together with the share that user gave them (null
 * when there is none). Built once per request or job; asked once per data type read.
 */
export type ReadScope =
  | { readonly viaShare: false; readonly viewerId: string; readonly ownerId: string }
  | { readonly viaShare: true; readonly viewerId: string; readonly ownerId: string; readonly share: ShareGrant | null };

/** A read the policy allowed: `viewerId` may read `ownerId`'s `dataType` from `since` on (null: all of it). */
export interface ReadGrant {
  readonly ownerId: string;
  readonly viewerId: string;
  readonly dataType: ShareableDataType;
  readonly viaShare: boolean;
  /** The share's `sharedSince` as stored (ISO date-time), or null for one's own data. */
  readonly since: string | null;
  /** `since` in epoch milliseconds. */
  readonly sinceMs: number | null;
}

/** One answer for unknown users, users who share nothing with the reader and types outside the share. */
export const NO_ACCESS = "You have no access to this user's data";

export function ownScope(userId: string): ReadScope {
  return { viaShare: false, viewerId: userId, ownerId: userId };
}

export function sharedScope(viewerId: string, ownerId: string, share: ShareGrant | null): ReadScope {
  return viewerId === ownerId ? ownScope(viewerId) : { viaShare: true, viewerId, ownerId, share };
}

/**
 * The decision. One's own data: everything. Another user's: only through their share, only the share's types, and
 * only while it has not expired (the D1 lookup filters expired shares too; the policy does not rely on it).
 * Null means refused: answer it as `NO_ACCESS`, the same for every reason.
 */
export function grantRead(scope: ReadScope, dataType: ShareableDataType, now: number = Date.now()): ReadGrant | null {
  const { ownerId, viewerId } = scope;
  if (!scope.viaShare) return { ownerId, viewerId, dataType, viaShare: false, since: null, sinceMs: null };
  const { share } = scope;
  if (share === null) return null;
  if (share.types !== null && !share.types.includes(dataType)) return null;
  if (share.expiresAt !== null && !(Date.parse(share.expiresAt) > now)) return null;
  const sinceMs = Date.parse(share.sharedSince);
  if (Number.isNaN(sinceMs)) return null;
  return { ownerId, viewerId, dataType, viaShare: true, since: share.sharedSince, sinceMs };
}

// --- cuts at sharedSince: every read applies exactly one of these ------------------------------------------------

/** Whether one record at this instant (ISO date-time or epoch milliseconds) is visible. */
export function isVisible(grant: ReadGrant, at: string | number): boolean {
  if (grant.sinceMs === null) return true;
  const ms = typeof at === "number" ? at : Date.parse(at);
  return ms >= grant.sinceMs;
}

/** `since` as ISO UTC text (`YYYY-MM-DDTHH:mm:ss.sssZ`) for the stores that compare text; null for one's own data. */
export function sinceIso(grant: ReadGrant): string | null {
  return grant.sinceMs === null ? null : new Date(grant.sinceMs).toISOString();
}

/** The first Unix second a grant may read (a sample at second s is visible when s * 1000 >= sinceMs); 0 uncut. */
export function sinceSeconds(grant: ReadGrant): number {
  return grant.sinceMs === null ? 0 : Math.ceil(grant.sinceMs / 1000);
}

/** An instant range [fromMs, toMs) cut at `since`; empty (from >= to) when it lies wholly before. */
export function cutInstants(grant: ReadGrant, fromMs: number, toMs: number): { fromMs: number; toMs: number } {
  return { fromMs: grant.sinceMs === null ? fromMs : Math.max(fromMs, grant.sinceMs), toMs };
}

/** The same cut on ISO UTC text (`YYYY-MM-DDTHH:mm:ss.sssZ`), the form the personal-record stores range on. */
export function cutIsoRange(grant: ReadGrant, from: string, to: string): { from: string; to: string } {
  const { fromMs } = cutInstants(grant, Date.parse(from), Date.parse(to));
  return { from: new Date(fromMs).toISOString(), to };
}

/** The same cut in Unix seconds: the first visible second is the first whole one at or after `since`. */
export function cutSeconds(grant: ReadGrant, start: number, end: number): { start: number; end: number } {
  return { start: grant.sinceMs === null ? start : Math.max(start, Math.ceil(grant.sinceMs / 1000)), end };
}

/** A range of UTC days cut at `since`, for day-chunked data. */
export interface DayCut {
  /** Unix seconds of the first and last UTC midnight to read, inclusive; empty when startDay > endDay. */
  startDay: number;
  endDay: number;
  /** On `startDay`, samples before this second of the day are not visible (0: the whole day is). */
  firstSecond: number;
}

export function cutDays(grant: ReadGrant, startDay: number, endDay: number): DayCut {
  if (grant.sinceMs === null) return { startDay, endDay, firstSecond: 0 };
  const since = Math.ceil(grant.sinceMs / 1000);
  const sinceDay = Math.floor(since / SECONDS_PER_DAY) * SECONDS_PER_DAY;
  if (startDay > sinceDay) return { startDay, endDay, firstSecond: 0 };
  return { startDay: sinceDay, endDay, firstSecond: since - sinceDay };
}

/**
 * The start of a requested range as the access log records it: as sent when visible, else `since` (the range was
 * cut there). A missing start reads from the beginning, which is `since`.
 */
export function loggedRangeStart(grant: ReadGrant, start: string | undefined): string | null {
  if (grant.since === null || grant.sinceMs === null) return start ?? null;
  if (start === undefined) return grant.since;
  const startMs = Date.parse(start);
  return !Number.isNaN(startMs) && startMs >= grant.sinceMs ? start : grant.since;
}
