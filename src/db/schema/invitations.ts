import { sql } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { ShareableDataType } from "./shares";
import { users } from "./users";

/** The `sharing_invitations` table: invites and requests, pending and answered (contract §9, §11). */

/** Invite and request statuses (contract §9 invites/received, §12 "Sharing enum"). */
export const SHARING_STATUSES = ["PENDING", "ACCEPTED", "REJECTED"] as const;
export type SharingStatus = (typeof SHARING_STATUSES)[number];

/** INVITE pushes the sender's dashboard to the recipient; REQUEST asks the recipient for theirs (contract §11). */
export const INVITATION_KINDS = ["INVITE", "REQUEST"] as const;
export type InvitationKind = (typeof INVITATION_KINDS)[number];

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

export type Invitation = typeof sharingInvitations.$inferSelect;
