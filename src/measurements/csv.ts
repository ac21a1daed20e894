import { SampleRules, storedValue } from "./sample-rules";
import { DEFAULT_QUALITY, type MeasurementType, MIN_DATETIME } from "./types";

/**
 * Streaming CSV parser for measurement uploads (docs/measurements.md "Upload rules"). Bytes arrive in pieces of any
 * size straight from the decompressor; complete lines are parsed in place and only a line that straddles two pieces
 * is copied. Rows that look like `1672531200,75,4` take a byte-level fast path; everything else (header, blanks,
 * spaces, quotes, exponents, errors) goes through one careful slow path that owns every error message. Both paths
 * judge a sample by the rules the JSON batch shares (sample-rules.ts); the slow path words a refusal with its line.
 */

export class CsvError extends Error {
  override readonly name = "CsvError";
  /** 1-based physical line number. */
  readonly line: number;

  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

export interface SampleSink {
  add(datetime: number, value: number, quality: number): void;
}

export interface CsvOptions {
  /** Current Unix time in seconds; samples more than one day after it are rejected. */
  now: number;
  /** Longest accepted line in bytes; bounds the memory held for a line split across pieces. Default 1024, min 64. */
  maxLineBytes?: number;
}

export interface CsvParser {
  push(bytes: Uint8Array): void;
  /** Parses a final line without a trailing newline; no push is accepted afterwards. */
  end(): void;
  /** Data rows handed to the sink so far (duplicates included). */
  readonly rows: number;
}

export function createCsvParser(type: MeasurementType, sink: SampleSink, options: CsvOptions): CsvParser {
  return new StreamingCsvParser(new SampleRules(type, options.now), sink, options);
}

const NL = 10;
const CR = 13;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
/** The inputs for which Number() and this parser agree on "is a decimal number"; rejects hex, "Infinity", "1_0". */
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
/** 10^k for k ≤ 15: exact doubles, so digits / 10^k is one correctly rounded division, the same double as Number(). */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

class StreamingCsvParser implements CsvParser {
  rows = 0;
  readonly #rules: SampleRules;
  readonly #sink: SampleSink;
  readonly #maxLine: number;
  readonly #decoder = new TextDecoder();
  #line = 0;
  #headerSeen = false;
  #ended = false;
  /** The start of a line whose end has not arrived yet. */
  #carry: Uint8Array;
  #carryLength = 0;

  constructor(rules: SampleRules, sink: SampleSink, options: CsvOptions) {
    this.#rules = rules;
    this.#sink = sink;
    // At least 64 bytes, so every row the fast path accepts (≤ 36 bytes) also fits when split across pieces.
    this.#maxLine = Math.max(options.maxLineBytes ?? 1024, 64);
    // #keep lets up to maxLine + 2 bytes in (a line and its "\r\n"); end() may append one "\n" more.
    this.#carry = new Uint8Array(this.#maxLine + 3);
  }

  push(bytes: Uint8Array): void {
    if (this.#ended) throw new Error("CSV parser: push after end");
    let start = 0;
    if (this.#carryLength > 0) {
      const nl = bytes.indexOf(NL);
      if (nl < 0) {
        this.#keep(bytes);
        return;
      }
      this.#keep(bytes.subarray(0, nl + 1));
      this.#parseBlock(this.#carry, 0, this.#carryLength);
      this.#carryLength = 0;
      start = nl + 1;
    }
    const last = bytes.lastIndexOf(NL);
    if (last >= start) {
      this.#parseBlock(bytes, start, last + 1);
      start = last + 1;
    }
    if (start < bytes.length) this.#keep(bytes.subarray(start));
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#carryLength > 0) {
      this.#carry[this.#carryLength++] = NL;
      this.#parseBlock(this.#carry, 0, this.#carryLength);
      this.#carryLength = 0;
    }
  }

  #keep(piece: Uint8Array): void {
    // The line in the carry is never counted yet, so its number is the next one.
    if (this.#carryLength + piece.length > this.#maxLine + 2) {
      throw new CsvError(this.#line + 1, `line is longer than ${this.#maxLine} bytes`);
    }
    this.#carry.set(piece, this.#carryLength);
    this.#carryLength += piece.length;
  }

  /** Parses the complete lines in buf[start, end); buf[end - 1] is '\n', which bounds every scan. */
  #parseBlock(buf: Uint8Array, start: number, end: number): void {
    let pos = start;
    while (pos < end) {
      this.#line++;
      const next = this.#fastLine(buf, pos);
      pos = next < 0 ? this.#slowLine(buf, pos) : next;
    }
  }

  /**
   * Parses a plain row (digits, an optional '-' and '.', no spaces) at buf[pos]; returns the next line's start, or
   * -1 to hand the line to the slow path. Every read stays at or before the line's '\n': a scan stops there.
   */
  #fastLine(buf: Uint8Array, pos: number): number {
    const rules = this.#rules;
    let i = pos;
    let c = buf[i] as number;
    let datetime = 0;
    while (c >= ZERO && c <= NINE) {
      datetime = datetime * 10 + (c - ZERO);
      c = buf[++i] as number;
    }
    if (c !== COMMA || i === pos || i - pos > 15) return -1;
    c = buf[++i] as number;
    const negative = c === MINUS;
    if (negative) c = buf[++i] as number;
    let mantissa = 0;
    let digits = 0;
    let fraction = 0;
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      c = buf[++i] as number;
    }
    if (c === DOT) {
      c = buf[++i] as number;
      while (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        digits++;
        fraction++;
        c = buf[++i] as number;
      }
    }
    // More than 15 digits may not be exact in a double: Number() decides those in the slow path.
    if (digits === 0 || digits > 15) return -1;
    let quality = DEFAULT_QUALITY;
    if (rules.spec.hasQuality) {
      if (c !== COMMA) return -1;
      c = buf[++i] as number;
      if (c < ZERO || c > NINE) return -1;
      quality = c - ZERO;
      c = buf[++i] as number;
    }
    if (c === CR) c = buf[++i] as number;
    if (c !== NL) return -1;
    const magnitude = fraction === 0 ? mantissa : mantissa / (POW10[fraction] as number);
    const value = storedValue(negative ? -magnitude : magnitude);
    if (!rules.accepts(datetime, value, quality)) return -1;
    this.#sink.add(datetime, value, quality);
    this.rows++;
    return i + 1;
  }

  /** Parses the line at buf[pos] field by field; returns the next line's start or throws the line's CsvError. */
  #slowLine(buf: Uint8Array, pos: number): number {
    const line = this.#line;
    const nl = buf.indexOf(NL, pos);
    if (nl - pos > this.#maxLine + 1) throw new CsvError(line, `line is longer than ${this.#maxLine} bytes`);
    let text = this.#decoder.decode(buf.subarray(pos, nl));
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (line === 1 && text.startsWith("\uFEFF")) text = text.slice(1);
    if (text.trim() === "") return nl + 1;
    if (text.includes("\r")) throw new CsvError(line, 'lines must end with "\\n" or "\\r\\n" (found a lone "\\r")');
    if (CONTROL.test(text)) throw new CsvError(line, "contains control characters; expected CSV text");
    const fields = text.split(",").map(clean);
    const spec = this.#rules.spec;
    const expected = spec.columns.length;
    const columns = spec.columns.join(",");
    if (this.rows === 0 && !this.#headerSeen && fields.every((f) => !NUMERIC.test(f))) {
      if (fields.length !== expected) {
        throw new CsvError(line, `header has ${fields.length} columns, expected ${expected} (${columns})`);
      }
      this.#headerSeen = true;
      return nl + 1;
    }
    if (fields.length !== expected) {
      throw new CsvError(line, `expected ${expected} columns (${columns}), got ${fields.length}`);
    }
    const datetime = this.#datetime(line, fields[0] as string);
    const value = this.#value(line, fields[1] as string);
    const quality = spec.hasQuality ? this.#quality(line, fields[2] as string) : DEFAULT_QUALITY;
    this.#sink.add(datetime, value, quality);
    this.rows++;
    return nl + 1;
  }

  #datetime(line: number, field: string): number {
    if (!NUMERIC.test(field))
      throw new CsvError(line, `datetime must be a number of Unix seconds (got ${show(field)})`);
    const datetime = Number(field);
    const fault = this.#rules.datetimeFault(datetime);
    if (fault === "not_whole") {
      throw new CsvError(line, `datetime must be a whole number of Unix seconds (got ${show(field)})`);
    }
    if (fault === "too_early") {
      throw new CsvError(line, `datetime ${show(field)} is before 2000-01-01T00:00:00Z (${MIN_DATETIME})`);
    }
    if (fault === "too_late") {
      const hint = datetime > 1e11 ? " (milliseconds instead of seconds?)" : "";
      throw new CsvError(line, `datetime ${show(field)} is more than one day in the future${hint}`);
    }
    return datetime;
  }

  #value(line: number, field: string): number {
    const { min, max, unit } = this.#rules.spec;
    if (!NUMERIC.test(field)) throw new CsvError(line, `value must be a decimal number (got ${show(field)})`);
    const value = storedValue(Number(field));
    const fault = this.#rules.valueFault(value);
    if (fault === "not_finite") throw new CsvError(line, `value must be finite (got ${show(field)})`);
    if (fault === "not_whole") throw new CsvError(line, `value must be an integer (${unit}) (got ${show(field)})`);
    if (fault === "out_of_range") {
      throw new CsvError(line, `value must be between ${min} and ${max} ${unit} (got ${show(field)})`);
    }
    return value;
  }

  #quality(line: number, field: string): number {
    const quality = NUMERIC.test(field) ? Number(field) : Number.NaN;
    if (!this.#rules.qualityValid(quality)) {
      throw new CsvError(line, `quality_indicator must be an integer 0-4 (got ${show(field)})`);
    }
    return quality;
  }
}

/** Fields may carry spaces and double quotes (spreadsheet exports); numbers never contain either. */
function clean(field: string): string {
  const trimmed = field.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1).trim()
    : trimmed;
}

/** Quotes user text for an error message, cut short so a hostile line cannot bloat the response. */
function show(field: string): string {
  return JSON.stringify(field.length > 24 ? `${field.slice(0, 24)}…` : field);
}
