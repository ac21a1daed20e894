import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Every mail the API sends is recorded here; locally and in tests this table is the only delivery. */
export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: ["QUEUED", "SENT", "FAILED"] }).notNull(),
    error: text("error"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("mail_outbox_to_idx").on(t.toAddress)],
);
