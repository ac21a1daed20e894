import { and, eq, type SQL } from "drizzle-orm";
import { newUuid } from "../lib/ids";
import type { Db } from "./index";
import { sharedGroupMembers, sharedGroups, shares } from "./schema";
import { isActive } from "./shares";

/** Data access for a viewer's groups of shared dashboards (contract §10). Every query is scoped by the group's owner. */

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
