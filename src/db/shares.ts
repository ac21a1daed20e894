import { and, desc, eq, gt, isNotNull, isNull, or } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { ShareGrant } from "../sharing/policy";
import type { Db } from "./index";
import { authSessions, type ShareableDataType, shares, type User, users } from "./schema";
import { liveSession } from "./users";

/**
 * Data access for active shares (contract §10, §11): the share check behind every shared read, and the owner's list,
 * change and revocation. Every query is scoped by the acting user; times are ISO-8601 UTC. The `owner`/`viewer`
 * aliases, `isActive` and `bothVerified` are shared with the other sharing queries.
 */

export const owner = alias(users, "owner");
export const viewer = alias(users, "viewer");

/** A share is active while its row exists and `expires_at` (if any) is still ahead. */
export const isActive = (now: string) => or(isNull(shares.expiresAt), gt(shares.expiresAt, now));

/**
 * Both ends of a share must have proven their address (security finding 1): a share to or from an unverified
 * account is never active. Accepting requires it already; this keeps every read of a share honest on its own.
 * Needs the `owner` and `viewer` aliases joined.
 */
export const bothVerified = and(isNotNull(owner.emailVerifiedAt), isNotNull(viewer.emailVerifiedAt));

export interface ShareLimits {
  /** Data types the share is limited to; null = all. */
  types: ShareableDataType[] | null;
  expiresAt: string | null;
}

/** What an active share grants: the read policy's input (src/sharing/policy.ts). */
export type ActiveShare = ShareGrant;

/** The one query behind every shared read: a primary-key lookup. */
export async function findActiveShare(
  db: Db,
  ownerId: string,
  viewerId: string,
  now: Date = new Date(),
): Promise<ActiveShare | null> {
  const row = await db
    .select({ sharedSince: shares.sharedSince, types: shares.types, expiresAt: shares.expiresAt })
    .from(shares)
    .innerJoin(owner, eq(owner.id, shares.ownerId))
    .innerJoin(viewer, eq(viewer.id, shares.viewerId))
    .where(and(eq(shares.ownerId, ownerId), eq(shares.viewerId, viewerId), isActive(now.toISOString()), bothVerified))
    .get();
  return row ?? null;
}

/**
 * The authenticated caller, whether their session is live, and, in the same query, their active share from
 * `ownerId` (for a `shared-user` read): the share check of a shared read then costs no D1 round trip of its own.
 */
export async function findUserWithShare(
  db: Db,
  userId: string,
  sessionId: string,
  ownerId: string,
  now: Date = new Date(),
): Promise<{ user: User; sessionLive: boolean; share: ActiveShare | null } | undefined> {
  const row = await db
    .select({
      user: users,
      liveSessionId: authSessions.id,
      sharedSince: shares.sharedSince,
      types: shares.types,
      expiresAt: shares.expiresAt,
      ownerVerifiedAt: owner.emailVerifiedAt,
    })
    .from(users)
    .leftJoin(authSessions, liveSession(sessionId))
    .leftJoin(shares, and(eq(shares.ownerId, ownerId), eq(shares.viewerId, users.id), isActive(now.toISOString())))
    .leftJoin(owner, eq(owner.id, shares.ownerId))
    .where(eq(users.id, userId))
    .get();
  if (!row) return undefined;
  const { user, liveSessionId, sharedSince, types, expiresAt, ownerVerifiedAt } = row;
  // As bothVerified: a share to or from an unverified account is not active.
  const active = sharedSince !== null && user.emailVerifiedAt !== null && ownerVerifiedAt !== null;
  return {
    user,
    sessionLive: liveSessionId !== null,
    share: active ? { sharedSince, types, expiresAt } : null,
  };
}

function selectShares(db: Db) {
  return db
    .select({
      fromId: shares.ownerId,
      fromEmail: owner.email,
      toId: shares.viewerId,
      toEmail: viewer.email,
      sharedSince: shares.sharedSince,
      created: shares.created,
      lastUpdated: shares.lastUpdated,
      types: shares.types,
      expiresAt: shares.expiresAt,
    })
    .from(shares)
    .innerJoin(owner, eq(owner.id, shares.ownerId))
    .innerJoin(viewer, eq(viewer.id, shares.viewerId));
}

export type ShareRecord = Awaited<ReturnType<typeof listSharesByOwner>>[number];

export function listSharesByOwner(db: Db, ownerId: string, now: string) {
  return selectShares(db)
    .where(and(eq(shares.ownerId, ownerId), isActive(now), bothVerified))
    .orderBy(desc(shares.created), shares.viewerId);
}

export function findShareRecord(db: Db, ownerId: string, viewerId: string, now: string) {
  return selectShares(db)
    .where(and(eq(shares.ownerId, ownerId), eq(shares.viewerId, viewerId), isActive(now), bothVerified))
    .get();
}

/** Changes an active share; false when there is none (expired counts as none). */
export async function updateActiveShare(
  db: Db,
  ownerId: string,
  viewerId: string,
  patch: Partial<ShareLimits & { sharedSince: string; customName: string; iconColor: string }>,
  now: string,
): Promise<boolean> {
  const rows = await db
    .update(shares)
    .set({ ...patch, lastUpdated: now })
    .where(and(eq(shares.ownerId, ownerId), eq(shares.viewerId, viewerId), isActive(now)))
    .returning({ ownerId: shares.ownerId });
  return rows.length === 1;
}

/**
 * Revokes a share at once: the row goes, and with it the viewer's group memberships and personalisation (foreign
 * keys). Returns false when no active share existed; an expired row is cleaned up all the same.
 */
export async function deleteShare(db: Db, ownerId: string, viewerId: string, now: string): Promise<boolean> {
  const rows = await db
    .delete(shares)
    .where(and(eq(shares.ownerId, ownerId), eq(shares.viewerId, viewerId)))
    .returning({ expiresAt: shares.expiresAt });
  const [row] = rows;
  return row !== undefined && (row.expiresAt === null || row.expiresAt > now);
}
