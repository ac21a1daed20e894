import { getDb } from "../db";
import { failStaleExportJobs, findExpiredExports, markExportExpired, pruneExportJobs } from "../db/export-jobs";
import { LIMITS } from "../lib/limits";
import { DAY_MS } from "../lib/time";

/**
 * The scheduled sweep of export jobs (docs/exports.md "Retention"), run by the cron trigger:
 * - a job still IN_PROGRESS after LIMITS.exportJobTimeoutMinutes (its every delivery is long past) is FAILED;
 * - a finished archive past its expiry is deleted from EXPORTS (its result then answers 410);
 * - a job row that ended LIMITS.exportJobRowDays ago is removed (its id is then unknown: 404).
 * Each step is idempotent, so a sweep cut short is finished by the next one.
 */

export const TIMED_OUT_REASON = "The export took too long and was stopped; create a new export";

/** Objects deleted per R2 call (its limit), and per sweep at most this many calls. */
const DELETE_BATCH = 1000;
const DELETE_ROUNDS = 10;

export interface SweepReport {
  timedOut: number;
  expired: number;
  pruned: number;
}

export async function sweepExports(env: Pick<Env, "DB" | "EXPORTS">, now = new Date()): Promise<SweepReport> {
  const db = getDb(env.DB);
  const at = now.toISOString();
  const staleBefore = new Date(now.getTime() - LIMITS.exportJobTimeoutMinutes * 60_000).toISOString();
  const timedOut = await failStaleExportJobs(db, staleBefore, TIMED_OUT_REASON, at);

  let expired = 0;
  for (let round = 0; round < DELETE_ROUNDS; round++) {
    const rows = await findExpiredExports(db, at, DELETE_BATCH);
    if (rows.length === 0) break;
    await env.EXPORTS.delete(rows.map((row) => row.objectKey as string));
    await markExportExpired(
      db,
      rows.map((row) => row.id),
      at,
    );
    expired += rows.length;
  }

  const pruned = await pruneExportJobs(db, new Date(now.getTime() - LIMITS.exportJobRowDays * DAY_MS).toISOString());
  return { timedOut: timedOut.length, expired, pruned };
}
