import { getDb } from "../../db";
import { updateUser } from "../../db/users";
import { badRequest } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { type AccumulatedUpload, DayAccumulator } from "../../measurements/accumulator";
import { ArchiveError, decompressUpload } from "../../measurements/archive";
import { CsvError, createCsvParser } from "../../measurements/csv";
import type { MeasurementType } from "../../measurements/types";
import { type IngestOutcome, type IngestRequest, userStore } from "../../user-store/user-store";

/**
 * Parses an uploaded file (zip, gzip or plain CSV, by content) into per-day encoded chunks. Nothing is stored here:
 * a bad row anywhere means a 400 naming its line and no write at all.
 */
export async function parseUpload(
  type: MeasurementType,
  bytes: Uint8Array,
  nowSeconds: number,
  maxRows: number = LIMITS.uploadMaxRows,
): Promise<AccumulatedUpload> {
  const accumulator = new DayAccumulator();
  const parser = createCsvParser(type, accumulator, { now: nowSeconds });
  try {
    await decompressUpload(
      bytes,
      (piece) => {
        parser.push(piece);
        if (parser.rows > maxRows) throw new CsvError(parser.rows, `an upload holds at most ${maxRows} rows`);
      },
      { maxBytes: LIMITS.uploadDecompressedBytes },
    );
    parser.end();
  } catch (error) {
    if (error instanceof CsvError || error instanceof ArchiveError) throw badRequest(`file: ${error.message}`);
    throw error;
  }
  const upload = accumulator.finish();
  if (upload.stats.samples === 0) throw badRequest("file: holds no data rows");
  return upload;
}

const iso = (seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000).toISOString());

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
    firstDatetime: iso(upload.stats.first),
    lastDatetime: iso(upload.stats.last),
    idempotency,
  });
  if (outcome.outcome === "stored") {
    await updateUser(getDb(env.DB), userId, { lastSyncAt: new Date().toISOString() });
  }
  return outcome;
}
