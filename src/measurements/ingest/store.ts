import { getDb } from "../../db";
import { updateUser } from "../../db/users";
import { epochToIso, nowIso } from "../../lib/time";
import {
  type IdempotencyKey,
  type IngestOutcome,
  type IngestRequest,
  type StoredIngest,
  userStore,
} from "../../user-store/user-store";
import type { AccumulatedUpload } from "../accumulator";
import type { MeasurementType } from "../types";

/**
 * The write half of the ingest service: parsed days go to the user's store and, once stored, the profile's
 * `lastSyncAt` advances. Two functions so that the type says it: only a write with an idempotency key can be
 * replayed or refused as `key_mismatch`.
 */

const isoOrNull = (seconds: number | null) => (seconds === null ? null : epochToIso(seconds));

function ingestRequest(type: MeasurementType, upload: AccumulatedUpload): IngestRequest {
  return {
    type,
    days: upload.days.map(({ day, chunk, count, firstSecond, lastSecond }) => ({
      day,
      chunk,
      count,
      firstSecond,
      lastSecond,
    })),
    rowsRead: upload.stats.rows,
    firstDatetime: isoOrNull(upload.stats.first),
    lastDatetime: isoOrNull(upload.stats.last),
  };
}

async function markSynced(env: Env, userId: string): Promise<void> {
  await updateUser(getDb(env.DB), userId, { lastSyncAt: nowIso() });
}

/** Stores parsed days and advances the profile's `lastSyncAt`. */
export async function storeUpload(
  env: Env,
  userId: string,
  type: MeasurementType,
  upload: AccumulatedUpload,
): Promise<StoredIngest> {
  const stored = await userStore(env, userId).ingestMeasurements(ingestRequest(type, upload));
  await markSynced(env, userId);
  return stored;
}

/** `storeUpload` under an idempotency key; `lastSyncAt` advances only when something was stored. */
export async function storeUploadWithKey(
  env: Env,
  userId: string,
  type: MeasurementType,
  upload: AccumulatedUpload,
  idempotency: IdempotencyKey,
): Promise<IngestOutcome> {
  const outcome = await userStore(env, userId).ingestMeasurementsWithKey(ingestRequest(type, upload), idempotency);
  if (outcome.outcome === "stored") await markSynced(env, userId);
  return outcome;
}
