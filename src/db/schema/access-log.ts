import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

/** The `sharing_access_log` table: the owner's record of reads through their shares. */

/** Who read which of the owner's data when, through a share (architecture.md "Access control"). */
export const sharingAccessLog = sqliteTable(
  "sharing_access_log",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    viewerId: text("viewer_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    viewerEmail: text("viewer_email").notNull(),
    dataType: text("data_type").notNull(),
    path: text("path").notNull(),
    rangeStart: text("range_start"),
    rangeEnd: text("range_end"),
    at: text("at").notNull(),
  },
  (t) => [
    index("sharing_access_log_owner_idx").on(t.ownerId, t.at, t.id),
    index("sharing_access_log_viewer_idx").on(t.viewerId),
  ],
);

export type AccessLogEntry = typeof sharingAccessLog.$inferSelect;
