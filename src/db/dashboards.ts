import { and, desc, eq } from "drizzle-orm";
import type { Db } from "./index";
import { sharedGroupMembers, shares } from "./schema";
import { bothVerified, isActive, owner, viewer } from "./shares";

/** Data access for the viewer's side of sharing: the dashboards shared with them (contract §10). */

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
