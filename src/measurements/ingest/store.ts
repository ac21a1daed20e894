import { getDb } from "../../db";
import { updateUser } from "../../db/users";
import { LIMITS } from "../../lib/limits";
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

/** Who uploads: their id, and their `lastSyncAt` as the request's authentication read it. */
export interface Uploader {
  id: string;
  lastSyncAt: string | null;
}

/**
 * `lastSyncAt` moves at most once per LIMITS.lastSyncAtGranularitySeconds: an app syncing several types in a burst
 * costs one D1 write, not one per file (docs/measurements.md "lastSyncAt").
 */
async function markSynced(env: Env, user: Uploader): Promise<void> {
  const last = user.lastSyncAt === null ? Number.NaN : Date.parse(user.lastSyncAt);
  if (Date.now() - last < LIMITS.lastSyncAtGranularitySeconds * 1000) return;
  await updateUser(getDb(env.DB), user.id, { lastSyncAt: nowIso() });
}

/**
 * Stores parsed days and advances the profile's `lastSyncAt`, the two writes in parallel: the upload has already
 * parsed whole (a bad row never reaches here), so the D1 write need not wait for the store's, and the answer costs
 * the slower of the two instead of their sum. Both are done before the answer, so the next GET /v1/user sees it.
 */
export async function storeUpload(
  env: Env,
  user: Uploader,
  type: MeasurementType,
  upload: AccumulatedUpload,
): Promise<StoredIngest> {
  const [stored] = await Promise.all([
    userStore(env, user.id).ingestMeasurements(ingestRequest(type, upload)),
    markSynced(env, user),
  ]);
  return stored;
}

/** `storeUpload` under an idempotency key; `lastSyncAt` advances only when something was stored. */
export async function storeUploadWithKey(
  env: Env,
  user: Uploader,
  type: MeasurementType,
  upload: AccumulatedUpload,
  idempotency: IdempotencyKey,
): Promise<IngestOutcome> {
  const outcome = await userStore(env, user.id).ingestMeasurementsWithKey(ingestRequest(type, upload), idempotency);
  if (outcome.outcome === "stored") await markSynced(env, user);
  return outcome;
}
