import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

/** The app's free-form settings object (contract §11 User Settings Context), stored as JSON text. */
export const userSettings = sqliteTable("user_settings", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  settings: text("settings").notNull(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});
