/**
 * The OTLP/JSON value rules (opentelemetry-proto docs/specification.md "JSON Protobuf Encoding"), as readers that
 * either return the value in the lake's shape or throw a `ShapeError` naming what was wrong. Absent fields take their
 * protobuf default. Used by records.ts for bodies sent as JSON and for protobuf bodies decoded into the same shape.
 */

/** A body whose structure is not the request it was sent as: answered 400, never retried. */
export class ShapeError extends Error {
  readonly path: string[] = [];
  at(segment: string): this {
    this.path.unshift(segment);
    return this;
  }
  describe(): string {
    return this.path.length === 0 ? this.message : `${this.path.join(".").replaceAll(".[", "[")}: ${this.message}`;
  }
}

export type Obj = Record<string, unknown>;

/** Counts what the value readers changed, for the answer's `partialSuccess` message. */
export type Tally = { truncated: number };

/** Attribute values longer than this many UTF-8 bytes are cut to it (docs/telemetry.md "Limits"). */
export const ATTRIBUTE_VALUE_BYTES = 4096;
const MAX_VALUE_DEPTH = 16;

/** Runs `read` on each member of `list`, naming the member's index in any ShapeError. */
export function each<T>(list: unknown[], name: string, read: (item: unknown, index: number) => T): T[] {
  const out: T[] = [];
  for (let i = 0; i < list.length; i++) {
    try {
      out.push(read(list[i], i));
    } catch (error) {
      throw error instanceof ShapeError ? error.at(`${name}[${i}]`) : error;
    }
  }
  return out;
}

export function object(value: unknown, what: string): Obj {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ShapeError(`${what} must be an object`);
  }
  return value as Obj;
}

/** An optional object field: `{}` when absent. */
export function field(parent: Obj, key: string): Obj {
  const value = parent[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new ShapeError("must be an object").at(key);
  return value as Obj;
}

export function list(parent: Obj, key: string): unknown[] {
  const value = parent[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ShapeError("must be an array").at(key);
  return value;
}

export function str(parent: Obj, key: string): string {
  const value = parent[key];
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw new ShapeError("must be a string").at(key);
  return value;
}

export function bool(parent: Obj, key: string): boolean {
  const value = parent[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw new ShapeError("must be a boolean").at(key);
  return value;
}

/** An enum or a 32-bit integer: a JSON integer (OTLP/JSON sends enums as integers, never names). */
export function int(parent: Obj, key: string): number {
  const value = parent[key];
  if (value === undefined || value === null) return 0;
  if (typeof value !== "number" || !Number.isInteger(value)) throw new ShapeError("must be an integer").at(key);
  return value;
}

const DIGITS = /^-?\d{1,20}$/;

/** An int64 or fixed64, as a JSON string or number (both are valid OTLP/JSON); kept as a decimal string. */
export function int64(parent: Obj, key: string, signed = false): string {
  const value = parent[key];
  if (value === undefined || value === null) return "0";
  if (typeof value === "number" && Number.isInteger(value) && (signed || value >= 0)) return String(value);
  if (typeof value === "string" && DIGITS.test(value) && (signed || !value.startsWith("-"))) {
    const n = BigInt(value);
    if (n <= 0xffff_ffff_ffff_ffffn && n >= -0x8000_0000_0000_0000n) return String(n);
  }
  throw new ShapeError(`must be a${signed ? "n" : "n unsigned"} 64-bit integer, as a string or a number`).at(key);
}

/** A double: a JSON number, or "NaN", "Infinity", "-Infinity" (protobuf JSON); non-finite values become null. */
export function double(parent: Obj, key: string): number | null | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return value;
  if (value === "NaN" || value === "Infinity" || value === "-Infinity") return null;
  throw new ShapeError("must be a number").at(key);
}

/** A repeated int64 or double field (histogram bucket counts and bounds). */
export const int64List = (parent: Obj, key: string): string[] => {
  const items = list(parent, key) as unknown as Obj;
  return each(items as unknown as unknown[], key, (_, i) => int64(items, String(i)));
};
export const doubleList = (parent: Obj, key: string): (number | null)[] => {
  const items = list(parent, key) as unknown as Obj;
  return each(items as unknown as unknown[], key, (_, i) => double(items, String(i)) ?? null);
};

/** Nanoseconds since the epoch as a number of milliseconds (for durations and summaries). */
export const nanosToMs = (nanos: string): number =>
  nanos.length <= 15 ? Number(nanos) / 1e6 : Number(nanos.slice(0, -6)) + Number(nanos.slice(-6)) / 1e6;

/** A trace or span id: `bytes` hex digits, lower case; "" when absent. Invalid ids reject the record, not the body. */
export function hexId(parent: Obj, key: string): string {
  const value = str(parent, key);
  return value.toLowerCase();
}

const HEX = /^[0-9a-f]*$/;
export const isId = (hex: string, bytes: number): boolean =>
  hex.length === bytes * 2 && HEX.test(hex) && !/^0+$/.test(hex);

/** A string cut to ATTRIBUTE_VALUE_BYTES of UTF-8, never inside a character. */
function capped(value: string, tally: Tally): string {
  if (value.length <= ATTRIBUTE_VALUE_BYTES / 3) return value;
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const width = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : 3;
    if (bytes + width > ATTRIBUTE_VALUE_BYTES) {
      tally.truncated++;
      return value.slice(0, i);
    }
    bytes += width;
    if (width === 4) i++; // the low surrogate of the pair
  }
  return value;
}

/**
 * An AnyValue as plain JSON: strings, booleans, numbers (int64 beyond 2^53 as a decimal string), arrays, objects,
 * bytes as base64; an empty AnyValue is null. With `cap`, strings and bytes are cut to ATTRIBUTE_VALUE_BYTES.
 */
export function anyValue(value: unknown, tally: Tally | null, depth = 0): unknown {
  if (depth > MAX_VALUE_DEPTH) throw new ShapeError(`values nest deeper than ${MAX_VALUE_DEPTH} levels`);
  const v = object(value, "a value");
  if (v.stringValue !== undefined && v.stringValue !== null) {
    const s = str(v, "stringValue");
    return tally ? capped(s, tally) : s;
  }
  if (v.boolValue !== undefined && v.boolValue !== null) return bool(v, "boolValue");
  if (v.intValue !== undefined && v.intValue !== null) {
    const n = int64(v, "intValue", true);
    const asNumber = Number(n);
    return Number.isSafeInteger(asNumber) ? asNumber : n;
  }
  if (v.doubleValue !== undefined && v.doubleValue !== null) return double(v, "doubleValue") ?? null;
  if (v.arrayValue !== undefined && v.arrayValue !== null) {
    return each(list(field(v, "arrayValue"), "values"), "arrayValue.values", (item) =>
      anyValue(item, tally, depth + 1),
    );
  }
  if (v.kvlistValue !== undefined && v.kvlistValue !== null) {
    return keyValues(list(field(v, "kvlistValue"), "values"), tally, depth + 1, "kvlistValue.values");
  }
  if (v.bytesValue !== undefined && v.bytesValue !== null) {
    const b = str(v, "bytesValue");
    if (tally && b.length > ATTRIBUTE_VALUE_BYTES) {
      tally.truncated++;
      return b.slice(0, ATTRIBUTE_VALUE_BYTES);
    }
    return b;
  }
  return null;
}

/** A KeyValue list as one object (a repeated key keeps its last value). */
export function keyValues(items: unknown[], tally: Tally | null, depth = 0, name = "attributes"): Obj {
  const out: Obj = {};
  each(items, name, (item) => {
    const kv = object(item, "an attribute");
    const key = str(kv, "key");
    out[key] = kv.value === undefined || kv.value === null ? null : anyValue(kv.value, tally, depth);
  });
  return out;
}

/** The `attributes` field of a message, capped: attribute values are where the 4 KB rule applies. */
export const attributesOf = (parent: Obj, tally: Tally, key = "attributes"): Obj =>
  keyValues(list(parent, key), tally, 0, key);
