import { and, desc, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { newUuid } from "../lib/ids";
import type { Db } from "./index";
import { type Invitation, type InvitationKind, shares, sharingInvitations, type User, users } from "./schema";
import type { ShareLimits } from "./shares";
import { normalizeEmail } from "./users";

/**
 * Data access for invites and requests (contract §9, §11): sending, answering and listing them. Every query is scoped
 * by the acting user; times are ISO-8601 UTC.
 */

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
