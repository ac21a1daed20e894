import { getDb } from "../db";
import { deleteUpload, expiredUploads } from "../db/firmware-uploads";
import { abortSession } from "./storage";

/** Upload sessions past their expiry: the R2 multipart upload aborted, the session removed. Idempotent. */
const BATCH = 100;

export async function sweepFirmwareUploads(env: Env, now: Date): Promise<{ aborted: number }> {
  const db = getDb(env.DB);
  let aborted = 0;
  for (const session of await expiredUploads(db, now.toISOString(), BATCH)) {
    await abortSession(env.FIRMWARE, session);
    await deleteUpload(db, session.id);
    aborted++;
  }
  return { aborted };
}
