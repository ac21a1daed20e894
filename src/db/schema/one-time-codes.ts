import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

/** What an emailed code proves: a password reset, or ownership of the address at registration. */
export const CODE_PURPOSES = ["PASSWORD_RESET", "EMAIL_VERIFICATION"] as const;
export type CodePurpose = (typeof CODE_PURPOSES)[number];

/**
 * One outstanding emailed code per (user, purpose): a new one replaces the old. Stored hashed; wrong guesses count
 * against the code, and a right one is deleted as it is used.
 */
export const oneTimeCodes = sqliteTable(
  "one_time_codes",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: CODE_PURPOSES }).notNull(),
    codeHash: text("code_hash").notNull(),
    expiresAt: integer("expires_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.purpose] })],
);
