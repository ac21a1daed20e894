import { getDb } from "../../db";
import { updateUser } from "../../db/users";
import { epochToIso, nowIso } from "../../lib/time";
import { type IngestOutcome, type IngestRequest, userStore } from "../../user-store/user-store";
import type { AccumulatedUpload } from "../accumulator";
import type { MeasurementType } from "../types";

/** The write half of the ingest service: parsed days go to the user's store, then the profile's `lastSyncAt`. */

const isoOrNull = (seconds: number | null) => (seconds === null ? null : epochToIso(seconds));

/** Hands parsed days to the user's store and, on success, advances the profile's `lastSyncAt`. */
export async function storeUpload(
  env: Env,
  userId: string,
  type: MeasurementType,
  upload: AccumulatedUpload,
  idempotency?: IngestRequest["idempotency"],
): Promise<IngestOutcome> {
  const outcome = await userStore(env, userId).ingestMeasurements({
    type,
    days: upload.days.map(({ day, chunk }) => ({ day, chunk })),
    rowsRead: upload.stats.rows,
    firstDatetime: isoOrNull(upload.stats.first),
    lastDatetime: isoOrNull(upload.stats.last),
    idempotency,
  });
  if (outcome.outcome === "stored") {
    await updateUser(getDb(env.DB), userId, { lastSyncAt: nowIso() });
  }
  return outcome;
}
