import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { MEASUREMENT_TYPES } from "../../measurements/types";
import { users } from "./users";

/** The `shares` table: who may read whose data, from when, limited to what (contract §10, §11). */

/** What a share can be limited to: the ten measurement types (contract §12) plus the personal-record kinds. */
export const SHAREABLE_DATA_TYPES = [
  ...MEASUREMENT_TYPES,
  "SESSIONS",
  "CHECKINS",
  "DAY_FEEDBACK",
  "INSIGHTS",
  "STATISTICS",
] as const;
export type ShareableDataType = (typeof SHAREABLE_DATA_TYPES)[number];

/**
 * Active shares: `viewer_id` may read `owner_id`'s data from `shared_since` on. A row exists only while the share is
 * ACCEPTED and not revoked (revoking deletes it); an `expires_at` in the past makes it behave as revoked. The
 * viewer's personalisation of the dashboard (contract §10 POST /v1/shared/custom) lives here too.
 */
export const shares = sqliteTable(
  "shares",
  {
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    viewerId: text("viewer_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    sharedSince: text("shared_since").notNull(),
    types: text("types", { mode: "json" }).$type<ShareableDataType[]>(),
    expiresAt: text("expires_at"),
    customName: text("custom_name"),
    iconColor: text("icon_color"),
    customProfilePicture: text("custom_profile_picture"),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.viewerId] }), index("shares_viewer_idx").on(t.viewerId)],
);

export type Share = typeof shares.$inferSelect;
