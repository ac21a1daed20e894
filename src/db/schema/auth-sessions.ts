import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

/**
 * Login sessions. A login creates one; its id is the access tokens' `sid` and the refresh tokens' `fam`. Every
 * authenticated request checks that its session is not revoked, so revoking a session (reuse detection, a password
 * change elsewhere, sign-out) ends its access tokens at once, not when they expire.
 */
export const authSessions = sqliteTable(
  "auth_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId)],
);
