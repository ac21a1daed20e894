import { badRequest } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { type AccumulatedUpload, DayAccumulator } from "../accumulator";
import { ArchiveError, decompressUpload } from "../archive";
import { CsvError, createCsvParser } from "../csv";
import type { MeasurementType } from "../types";

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
