import { foreignKey, index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { shares } from "./shares";
import { users } from "./users";

/** The `shared_groups` and `shared_group_members` tables: a viewer's groups of shared dashboards (contract §10). */

/** Groups a viewer creates to sort the dashboards shared with them (contract §10). */
export const sharedGroups = sqliteTable(
  "shared_groups",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [index("shared_groups_user_idx").on(t.userId)],
);

/**
 * A dashboard in a group: `member_id` shares with `user_id` (the group's owner). The foreign key to the share makes
 * a revoked share leave every group at once.
 */
export const sharedGroupMembers = sqliteTable(
  "shared_group_members",
  {
    groupId: text("group_id")
      .notNull()
      .references(() => sharedGroups.id, { onDelete: "cascade" }),
    memberId: text("member_id").notNull(),
    userId: text("user_id").notNull(),
    added: text("added").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.memberId] }),
    foreignKey({ columns: [t.memberId, t.userId], foreignColumns: [shares.ownerId, shares.viewerId] }).onDelete(
      "cascade",
    ),
    index("shared_group_members_share_idx").on(t.memberId, t.userId),
  ],
);

export type SharedGroup = typeof sharedGroups.$inferSelect;
