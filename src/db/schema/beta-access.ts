import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

export const BETA_ACCESS_STATUSES = ["PENDING", "APPROVED", "DENIED"] as const;
export type BetaAccessStatus = (typeof BETA_ACCESS_STATUSES)[number];

/** One beta-access request per user; asking again while one is pending changes nothing. */
export const betaAccessRequests = sqliteTable(
  "beta_access_requests",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: BETA_ACCESS_STATUSES }).notNull(),
    requestedAt: text("requested_at").notNull(),
    decidedAt: text("decided_at"),
    decidedBy: text("decided_by"),
  },
  (t) => [index("beta_access_status_idx").on(t.status)],
);
