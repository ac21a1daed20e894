import { and, desc, eq, lt, or } from "drizzle-orm";
import { newUuid } from "../lib/ids";
import type { Db } from "./index";
import { sharingAccessLog } from "./schema";

/** Data access for the sharing access log: who read which of the owner's data when, through a share. */

export type NewAccessLogEntry = Omit<typeof sharingAccessLog.$inferInsert, "id">;

/** 9 bound values a row: 10 rows a statement stays under D1's 100 bound parameters. */
const ACCESS_LOG_ROWS_PER_STATEMENT = 10;

/** Writes log entries in as few statements as D1's parameter limit allows, all in one batch (one round trip). */
export async function insertAccessLogEntries(db: Db, entries: NewAccessLogEntry[]): Promise<void> {
  const statements = [];
  for (let i = 0; i < entries.length; i += ACCESS_LOG_ROWS_PER_STATEMENT) {
    const rows = entries.slice(i, i + ACCESS_LOG_ROWS_PER_STATEMENT).map((entry) => ({ id: newUuid(), ...entry }));
    statements.push(db.insert(sharingAccessLog).values(rows));
  }
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/** Position in the newest-first order: entries strictly after it come next. */
export interface AccessLogPosition {
  at: string;
  id: string;
}

/** Newest first; one extra row tells whether another page follows. */
export function listAccessLog(
  db: Db,
  ownerId: string,
  page: { limit: number; offset: number; after?: AccessLogPosition },
) {
  const after = page.after;
  return db
    .select()
    .from(sharingAccessLog)
    .where(
      and(
        eq(sharingAccessLog.ownerId, ownerId),
        after
          ? or(
              lt(sharingAccessLog.at, after.at),
              and(eq(sharingAccessLog.at, after.at), lt(sharingAccessLog.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(sharingAccessLog.at), desc(sharingAccessLog.id))
    .limit(page.limit + 1)
    .offset(page.offset);
}
