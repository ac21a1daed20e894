import { sql } from "drizzle-orm";
import { foreignKey, index, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { MEASUREMENT_TYPES } from "../../measurements/types";
import { users } from "./users";

/** Invite and request statuses (contract §9 invites/received, §12 "Sharing enum"). */
export const SHARING_STATUSES = ["PENDING", "ACCEPTED", "REJECTED"] as const;
export type SharingStatus = (typeof SHARING_STATUSES)[number];

/** INVITE pushes the sender's dashboard to the recipient; REQUEST asks the recipient for theirs (contract §11). */
export const INVITATION_KINDS = ["INVITE", "REQUEST"] as const;
export type InvitationKind = (typeof INVITATION_KINDS)[number];

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
 * Invites and requests, one row per one sent. Keyed by the recipient's lower-cased email so an invite to someone
 * without an account waits for them; `recipient_id` is filled in when the account exists (at sending or at
 * registration) and carries the cascade on account deletion. Answered rows stay as history; at most one PENDING row
 * per (kind, sender, recipient email), enforced by a partial unique index.
 */
export const sharingInvitations = sqliteTable(
  "sharing_invitations",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: INVITATION_KINDS }).notNull(),
    senderId: text("sender_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    recipientEmail: text("recipient_email").notNull(),
    recipientId: text("recipient_id").references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: SHARING_STATUSES }).notNull(),
    shareSince: text("share_since").notNull(),
    /** JSON array of data types the share is limited to; NULL = all types. */
    types: text("types", { mode: "json" }).$type<ShareableDataType[]>(),
    expiresAt: text("expires_at"),
    sentAt: text("sent_at").notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [
    uniqueIndex("sharing_invitations_pending_unique")
      .on(t.kind, t.senderId, t.recipientEmail)
      .where(sql`status = 'PENDING'`),
    index("sharing_invitations_sender_idx").on(t.senderId, t.kind, t.created),
    index("sharing_invitations_recipient_email_idx").on(t.recipientEmail, t.kind, t.created),
    // Account deletion cascades through recipient_id: without an index each deletion would scan the table.
    index("sharing_invitations_recipient_idx").on(t.recipientId),
  ],
);

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

export type Invitation = typeof sharingInvitations.$inferSelect;
export type Share = typeof shares.$inferSelect;
export type SharedGroup = typeof sharedGroups.$inferSelect;
export type AccessLogEntry = typeof sharingAccessLog.$inferSelect;
