import type { Db } from "../db";
import { insertAccessLogEntries, type NewAccessLogEntry } from "../db/access-log";

/**
 * Access-log writes, batched per isolate: a shared read queues its entry and the first entry of a batch schedules one
 * flush `FLUSH_DELAY_MS` later (kept alive with waitUntil), which writes every entry queued by then in one D1 batch.
 * A dashboard that polls a shared user's data then costs one D1 write per flush instead of one per read, and no read
 * waits for it. A failed flush is logged with the entries it lost (never silently dropped).
 */
export const FLUSH_DELAY_MS = 200;

let pending: NewAccessLogEntry[] = [];
let flush: Promise<void> | null = null;

export function queueAccessLog(
  ctx: Pick<ExecutionContext, "waitUntil">,
  db: Db,
  entry: NewAccessLogEntry,
  requestId: string,
): void {
  pending.push(entry);
  flush ??= (async () => {
    await new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS));
    const batch = pending;
    pending = [];
    flush = null;
    try {
      await insertAccessLogEntries(db, batch);
    } catch (error) {
      console.error(
        JSON.stringify({
          event: "access_log_failed",
          requestId,
          entries: batch.map(({ ownerId, viewerId, dataType, at }) => ({ ownerId, viewerId, dataType, at })),
          name: error instanceof Error ? error.name : "unknown",
        }),
      );
    }
  })();
  ctx.waitUntil(flush);
}
