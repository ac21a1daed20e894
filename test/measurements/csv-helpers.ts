import { CsvError, createCsvParser, type MeasurementType } from "../../src/measurements";

/** 2023-02-01: all test datetimes (from 2023-01-01) lie in the past. */
export const NOW = 1_675_209_600;

export type Row = [datetime: number, value: number, quality: number];

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Parses the pieces with a fresh parser; returns the rows handed to the sink. */
export function parsePieces(type: MeasurementType, pieces: Uint8Array[], now = NOW): Row[] {
  const rows: Row[] = [];
  const parser = createCsvParser(type, { add: (d, v, q) => rows.push([d, v, q]) }, { now });
  for (const piece of pieces) parser.push(piece);
  parser.end();
  if (parser.rows !== rows.length) throw new Error("parser.rows disagrees with the sink");
  return rows;
}

export const parseText = (type: MeasurementType, text: string, now = NOW): Row[] =>
  parsePieces(type, [bytes(text)], now);

/** The CsvError a parse throws (fails the test if it throws anything else or nothing). */
export function csvError(type: MeasurementType, text: string | Uint8Array[], now = NOW): CsvError {
  try {
    if (typeof text === "string") parseText(type, text, now);
    else parsePieces(type, text, now);
  } catch (error) {
    if (error instanceof CsvError) return error;
    throw error;
  }
  throw new Error("expected a CsvError, the parse succeeded");
}

/** Splits `data` into random pieces of 0..maxPiece bytes (empty pieces included on purpose). */
export function randomPieces(data: Uint8Array, rng: () => number, maxPiece: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    const size = Math.floor(rng() * (maxPiece + 1));
    pieces.push(data.subarray(at, at + size));
    at += size;
  }
  return pieces;
}
