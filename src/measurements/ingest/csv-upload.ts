import { badRequest } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { type AccumulatedUpload, DayAccumulator } from "../accumulator";
import { ArchiveError, decompressUpload } from "../archive";
import { decompressUploadStream } from "../archive-stream";
import { CsvError, createCsvParser } from "../csv";
import type { MeasurementType } from "../types";

/**
 * Parses an uploaded file (zip, gzip or plain CSV, by content) into per-day encoded chunks. Nothing is stored here:
 * a bad row anywhere means a 400 naming its line and no write at all.
 */
export function parseUpload(
  type: MeasurementType,
  bytes: Uint8Array,
  nowSeconds: number,
  maxRows: number = LIMITS.uploadMaxRows,
): Promise<AccumulatedUpload> {
  return parse(type, nowSeconds, maxRows, (onData, limits) => decompressUpload(bytes, onData, limits));
}

/**
 * The same over the file's bytes as they arrive (the request body): inflated and parsed on the way, so what an upload
 * holds is its encoded day chunks, not the file (docs/measurements.md "Streaming").
 */
export function parseUploadStream(
  type: MeasurementType,
  source: AsyncIterable<Uint8Array>,
  nowSeconds: number,
  maxRows: number = LIMITS.uploadMaxRows,
): Promise<AccumulatedUpload> {
  return parse(type, nowSeconds, maxRows, (onData, limits) => decompressUploadStream(source, onData, limits));
}

type Unpack = (onData: (piece: Uint8Array) => void, limits: { maxBytes: number }) => Promise<unknown>;

async function parse(
  type: MeasurementType,
  nowSeconds: number,
  maxRows: number,
  unpack: Unpack,
): Promise<AccumulatedUpload> {
  const accumulator = new DayAccumulator();
  const parser = createCsvParser(type, accumulator, { now: nowSeconds });
  try {
    await unpack(
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
