import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const GENDERS = ["FEMALE", "MALE", "OTHER"] as const;
export const HANDS = ["LEFT", "RIGHT", "MIXED"] as const;
export const UNITS = ["METRIC", "IMPERIAL"] as const;
export const PLATFORMS = ["IOS", "ANDROID"] as const;

/** Accounts. `email` is stored lower-cased so lookups are case-insensitive. Times are ISO-8601 UTC strings. */
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull().unique(),
    passwordHash: text("password_hash").notNull(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    gender: text("gender", { enum: GENDERS }),
    watchHand: text("watch_hand", { enum: HANDS }),
    dominantHand: text("dominant_hand", { enum: HANDS }),
    height: integer("height"),
    weight: integer("weight"),
    dateOfBirth: text("date_of_birth"),
    unit: text("unit", { enum: UNITS }).notNull().default("METRIC"),
    platform: text("platform", { enum: PLATFORMS }),
    isEarlyAccess: integer("is_early_access", { mode: "boolean" }).notNull().default(false),
    employee: integer("employee", { mode: "boolean" }).notNull().default(false),
    isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
    lastSyncAt: text("last_sync_at"),
    /** When the owner of the address proved it (a verification or password-reset code); null until then. */
    emailVerifiedAt: text("email_verified_at"),
    tocAcceptedAt: text("toc_accepted_at").notNull(),
    privacyPolicyAcceptedAt: text("privacy_policy_accepted_at").notNull(),
    /** Bumped by sign-out, password changes and resets: access tokens carry it and die when it moves. */
    tokenVersion: integer("token_version").notNull().default(0),
    createdAt: text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
    updatedAt: text("updated_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (t) => [index("users_is_admin_idx").on(t.isAdmin)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
