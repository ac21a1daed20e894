import { and, desc, eq, gt, isNotNull, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { newUuid } from "../lib/ids";
import type { ShareGrant } from "../sharing/policy";
import type { Db } from "./index";
import {
  authSessions,
  type Invitation,
  type InvitationKind,
  type ShareableDataType,
  sharedGroupMembers,
  sharedGroups,
  shares,
  sharingAccessLog,
  sharingInvitations,
  type User,
  users,
} from "./schema";
import { liveSession, normalizeEmail } from "./users";

/** Data access for sharing (contract §9–§11). Every query is scoped by the acting user; times are ISO-8601 UTC. */

const owner = alias(users, "owner");
const viewer = alias(users, "viewer");

/** A share is active while its row exists and `expires_at` (if any) is still ahead. */
const isActive = (now: string) => or(isNull(shares.expiresAt), gt(shares.expiresAt, now));

/**
 * Both ends of a share must have proven their address (security finding 1): a share to or from an unverified
 * account is never active. Accepting requires it already; this keeps every read of a share honest on its own.
 * Needs the `owner` and `viewer` aliases joined.
 */
const bothVerified = and(isNotNull(owner.emailVerifiedAt), isNotNull(viewer.emailVerifiedAt));

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

// --- invites and requests -------------------------------------------------------------------------------------

/** Whose dashboard an accepted invitation opens (owner) and who sees it (viewer). */
export function roles(kind: InvitationKind, senderId: string, recipientId: string) {
  return kind === "INVITE"
    ? { ownerId: senderId, viewerId: recipientId }
    : { ownerId: recipientId, viewerId: senderId };
}

export interface NewInvitation extends ShareLimits {
  kind: InvitationKind;
  senderId: string;
  recipientEmail: string;
  recipientId: string | null;
  shareSince: string;
}

/** Inserts a PENDING invitation; undefined when one is already pending for (kind, sender, email). */
export function insertInvitation(db: Db, invitation: NewInvitation, now: string) {
  return db
    .insert(sharingInvitations)
    .values({
      ...invitation,
      id: newUuid(),
      recipientEmail: normalizeEmail(invitation.recipientEmail),
      status: "PENDING",
      sentAt: now,
      created: now,
      lastUpdated: now,
    })
    .onConflictDoNothing()
    .returning()
    .get();
}

/** The invitation of this kind from the sender to the email: the PENDING one if any, else the latest answered. */
export function findInvitation(
  db: Db,
  kind: InvitationKind,
  senderId: string,
  recipientEmail: string,
): Promise<Invitation | undefined> {
  return db
    .select()
    .from(sharingInvitations)
    .where(
      and(
        eq(sharingInvitations.kind, kind),
        eq(sharingInvitations.senderId, senderId),
        eq(sharingInvitations.recipientEmail, normalizeEmail(recipientEmail)),
      ),
    )
    .orderBy(sql`${sharingInvitations.status} = 'PENDING' DESC`, desc(sharingInvitations.created))
    .limit(1)
    .get();
}

const pending = (id: string) => and(eq(sharingInvitations.id, id), eq(sharingInvitations.status, "PENDING"));

/** Each of these changes a PENDING row only, and says whether it did (a lost race answers false). */
export async function deletePendingInvitation(db: Db, id: string): Promise<boolean> {
  const rows = await db.delete(sharingInvitations).where(pending(id)).returning({ id: sharingInvitations.id });
  return rows.length === 1;
}

export async function markInvitationResent(db: Db, id: string, now: string): Promise<boolean> {
  const rows = await db
    .update(sharingInvitations)
    .set({ sentAt: now, lastUpdated: now })
    .where(pending(id))
    .returning({ id: sharingInvitations.id });
  return rows.length === 1;
}

export async function rejectInvitation(db: Db, id: string, now: string): Promise<boolean> {
  const rows = await db
    .update(sharingInvitations)
    .set({ status: "REJECTED", lastUpdated: now })
    .where(pending(id))
    .returning({ id: sharingInvitations.id });
  return rows.length === 1;
}

/**
 * Accepts a PENDING invitation and creates the share, in one D1 batch (one transaction). The share is inserted from
 * the invitation row itself, and only if this call moved it to ACCEPTED, so a concurrent reject or accept cannot
 * leave a share behind a REJECTED row. An expired share between the two is replaced (it behaves as revoked).
 * `limits` (request accept) overrides the invitation's own. Returns false when the invitation was no longer pending.
 */
export async function acceptInvitation(
  db: Db,
  invitation: Invitation,
  recipientId: string,
  limits: Partial<ShareLimits>,
  now: string,
): Promise<boolean> {
  const [ownerColumn, viewerColumn] =
    invitation.kind === "INVITE"
      ? [sharingInvitations.senderId, sharingInvitations.recipientId]
      : [sharingInvitations.recipientId, sharingInvitations.senderId];
  const { ownerId, viewerId } = roles(invitation.kind, invitation.senderId, recipientId);
  const [accepted] = await db.batch([
    db
      .update(sharingInvitations)
      .set({ status: "ACCEPTED", recipientId, lastUpdated: now, ...limits })
      .where(pending(invitation.id))
      .returning({ id: sharingInvitations.id }),
    db
      .delete(shares)
      .where(and(eq(shares.ownerId, ownerId), eq(shares.viewerId, viewerId), lte(shares.expiresAt, now))),
    db
      .insert(shares)
      .select((qb) =>
        // INSERT … SELECT lists the table's columns in declaration order: keep these fields in that order.
        qb
          .select({
            ownerId: sql<string>`${ownerColumn}`.as("owner_id"),
            viewerId: sql<string>`${viewerColumn}`.as("viewer_id"),
            sharedSince: sharingInvitations.shareSince,
            types: sharingInvitations.types,
            expiresAt: sharingInvitations.expiresAt,
            customName: sql<null>`NULL`.as("custom_name"),
            iconColor: sql<null>`NULL`.as("icon_color"),
            customProfilePicture: sql<null>`NULL`.as("custom_profile_picture"),
            created: sql<string>`${now}`.as("created"),
            lastUpdated: sql<string>`${now}`.as("last_updated"),
          })
          .from(sharingInvitations)
          .where(
            and(
              eq(sharingInvitations.id, invitation.id),
              eq(sharingInvitations.status, "ACCEPTED"),
              eq(sharingInvitations.lastUpdated, now),
            ),
          ),
      )
      .onConflictDoNothing(),
  ]);
  return accepted.length === 1;
}

/** Once an account exists for an email, invitations waiting for it get its user id (and its cascade). */
export function attachPendingInvitations(db: Db, userId: string, email: string) {
  return db
    .update(sharingInvitations)
    .set({ recipientId: userId })
    .where(and(eq(sharingInvitations.recipientEmail, normalizeEmail(email)), isNull(sharingInvitations.recipientId)));
}

const sender = alias(users, "sender");

function selectInvitations(db: Db) {
  return db
    .select({
      id: sharingInvitations.id,
      fromEmail: sender.email,
      recipientEmail: sharingInvitations.recipientEmail,
      status: sharingInvitations.status,
      shareSince: sharingInvitations.shareSince,
      sentDate: sharingInvitations.sentAt,
      created: sharingInvitations.created,
      lastUpdated: sharingInvitations.lastUpdated,
    })
    .from(sharingInvitations)
    .innerJoin(sender, eq(sender.id, sharingInvitations.senderId));
}

export type InvitationRow = Awaited<ReturnType<typeof listSentInvitations>>[number];

/** Newest first, every status. */
export function listSentInvitations(db: Db, kind: InvitationKind, senderId: string) {
  return selectInvitations(db)
    .where(and(eq(sharingInvitations.kind, kind), eq(sharingInvitations.senderId, senderId)))
    .orderBy(desc(sharingInvitations.created), desc(sharingInvitations.id));
}

/**
 * Received by email: users cannot change their email, and an invite sent before registration is found too. Nothing
 * is listed to an account that has not proven its address, nor from a sender who has not.
 */
export async function listReceivedInvitations(
  db: Db,
  kind: InvitationKind,
  recipient: Pick<User, "email" | "emailVerifiedAt">,
): Promise<InvitationRow[]> {
  if (recipient.emailVerifiedAt === null) return [];
  return selectInvitations(db)
    .where(
      and(
        eq(sharingInvitations.kind, kind),
        eq(sharingInvitations.recipientEmail, normalizeEmail(recipient.email)),
        isNotNull(sender.emailVerifiedAt),
      ),
    )
    .orderBy(desc(sharingInvitations.created), desc(sharingInvitations.id));
}

// --- active shares --------------------------------------------------------------------------------------------

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

/** Dashboards shared with the viewer (contract §10 SharedDashboard), with the sharer's profile and group ids. */
export async function listDashboards(db: Db, viewerId: string, now: string, ownerId?: string) {
  // Not db.batch: D1 batch results come back as objects keyed by column name, and owner.email and viewer.email
  // would collide.
  const [rows, memberships] = await Promise.all([
    db
      .select({
        share: shares,
        ownerEmail: owner.email,
        ownerFirstName: owner.firstName,
        ownerLastSyncAt: owner.lastSyncAt,
        viewerEmail: viewer.email,
      })
      .from(shares)
      .innerJoin(owner, eq(owner.id, shares.ownerId))
      .innerJoin(viewer, eq(viewer.id, shares.viewerId))
      .where(
        and(
          eq(shares.viewerId, viewerId),
          isActive(now),
          bothVerified,
          ownerId ? eq(shares.ownerId, ownerId) : undefined,
        ),
      )
      .orderBy(desc(shares.created), shares.ownerId),
    db
      .select({ groupId: sharedGroupMembers.groupId, memberId: sharedGroupMembers.memberId })
      .from(sharedGroupMembers)
      .where(
        and(eq(sharedGroupMembers.userId, viewerId), ownerId ? eq(sharedGroupMembers.memberId, ownerId) : undefined),
      )
      .orderBy(sharedGroupMembers.added, sharedGroupMembers.groupId),
  ]);
  return rows.map((row) => ({
    ...row,
    groupIds: memberships.filter((m) => m.memberId === row.share.ownerId).map((m) => m.groupId),
  }));
}

// --- groups -------------------------------------------------------------------------------------------------

export interface GroupRecord {
  id: string;
  name: string;
  members: string[];
  created: string;
  lastUpdated: string;
}

/** The user's groups with their members; a member whose share expired is left out (it behaves as revoked). */
export async function listGroups(db: Db, userId: string, now: string, groupId?: string): Promise<GroupRecord[]> {
  const onlyGroup = (column: typeof sharedGroups.id | typeof sharedGroupMembers.groupId): SQL | undefined =>
    groupId ? eq(column, groupId) : undefined;
  const [groups, members] = await db.batch([
    db
      .select()
      .from(sharedGroups)
      .where(and(eq(sharedGroups.userId, userId), onlyGroup(sharedGroups.id)))
      .orderBy(sharedGroups.created, sharedGroups.id),
    db
      .select({ groupId: sharedGroupMembers.groupId, memberId: sharedGroupMembers.memberId })
      .from(sharedGroupMembers)
      .innerJoin(
        shares,
        and(eq(shares.ownerId, sharedGroupMembers.memberId), eq(shares.viewerId, sharedGroupMembers.userId)),
      )
      .where(and(eq(sharedGroupMembers.userId, userId), isActive(now), onlyGroup(sharedGroupMembers.groupId)))
      .orderBy(sharedGroupMembers.added, sharedGroupMembers.memberId),
  ]);
  return groups.map((group) => ({
    id: group.id,
    name: group.name,
    members: members.filter((m) => m.groupId === group.id).map((m) => m.memberId),
    created: group.created,
    lastUpdated: group.lastUpdated,
  }));
}

export async function findGroup(db: Db, userId: string, groupId: string, now: string) {
  return (await listGroups(db, userId, now, groupId))[0];
}

export function insertGroup(db: Db, userId: string, name: string, now: string) {
  return db
    .insert(sharedGroups)
    .values({ id: newUuid(), userId, name, created: now, lastUpdated: now })
    .returning()
    .get();
}

const ownGroup = (userId: string, groupId: string) =>
  and(eq(sharedGroups.id, groupId), eq(sharedGroups.userId, userId));

export async function renameGroup(db: Db, userId: string, groupId: string, name: string, now: string) {
  const rows = await db
    .update(sharedGroups)
    .set({ name, lastUpdated: now })
    .where(ownGroup(userId, groupId))
    .returning({ id: sharedGroups.id });
  return rows.length === 1;
}

export async function deleteGroup(db: Db, userId: string, groupId: string) {
  const rows = await db.delete(sharedGroups).where(ownGroup(userId, groupId)).returning({ id: sharedGroups.id });
  return rows.length === 1;
}

/** Adds a sharer to one of the user's groups (idempotent). The caller checks the group and the share first. */
export async function addGroupMember(db: Db, userId: string, groupId: string, memberId: string, now: string) {
  await db.batch([
    db.insert(sharedGroupMembers).values({ groupId, memberId, userId, added: now }).onConflictDoNothing(),
    db.update(sharedGroups).set({ lastUpdated: now }).where(ownGroup(userId, groupId)),
  ]);
}

export async function removeGroupMember(db: Db, userId: string, groupId: string, memberId: string, now: string) {
  const removed = await db
    .delete(sharedGroupMembers)
    .where(
      and(
        eq(sharedGroupMembers.groupId, groupId),
        eq(sharedGroupMembers.userId, userId),
        eq(sharedGroupMembers.memberId, memberId),
      ),
    )
    .returning({ memberId: sharedGroupMembers.memberId });
  if (removed.length === 0) return false;
  await db.update(sharedGroups).set({ lastUpdated: now }).where(ownGroup(userId, groupId));
  return true;
}

// --- access log ---------------------------------------------------------------------------------------------

export type NewAccessLogEntry = Omit<typeof sharingAccessLog.$inferInsert, "id">;

/** 9 bound values a row: 10 rows a statement stays under D1's 100 bound parameters. */
const ACCESS_LOG_ROWS_PER_STATEMENT = 10;

/** Writes log entries in as few statements as D1's parameter limit allows, all in one batch (one round trip). */
export async function insertAccessLogEntries(db: Db, entries: NewAccessLogEntry[]): Promise<void> {
  const statements = [];
  for (let i = 0; i < entries.length; i += ACCESS_LOG_ROWS_PER_STATEMENT) {
    const rows = entries.slice(i, i + ACCESS_LOG_ROWS_PER_STATEMENT).map((entry) => ({ id: newUuid(), ...entry }));
    statements.push(db.insert(sharingAccessLog).values(rows));
  }
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/** Position in the newest-first order: entries strictly after it come next. */
export interface AccessLogPosition {
  at: string;
  id: string;
}

/** Newest first; one extra row tells whether another page follows. */
export function listAccessLog(
  db: Db,
  ownerId: string,
  page: { limit: number; offset: number; after?: AccessLogPosition },
) {
  const after = page.after;
  return db
    .select()
    .from(sharingAccessLog)
    .where(
      and(
        eq(sharingAccessLog.ownerId, ownerId),
        after
          ? or(
              lt(sharingAccessLog.at, after.at),
              and(eq(sharingAccessLog.at, after.at), lt(sharingAccessLog.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(sharingAccessLog.at), desc(sharingAccessLog.id))
    .limit(page.limit + 1)
    .offset(page.offset);
}
