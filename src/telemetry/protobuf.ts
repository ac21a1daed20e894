/**
 * A protobuf wire-format reader driven by message descriptors, producing the OTLP/JSON shape of the message
 * (docs/telemetry.md "Protobuf"): lowerCamelCase keys, int64 and fixed64 as decimal strings, trace and span ids as
 * lower-case hex (OTLP's exception to the protobuf JSON mapping), other bytes as base64, enums as integers, unknown
 * fields skipped. The JSON and protobuf bodies then go through the same validation (records.ts).
 *
 * Refusals are `ProtobufError`s naming the byte offset: a truncated message, a wire type that does not match the
 * field's declared type, a varint past 10 bytes, nesting past a bound.
 */

export class ProtobufError extends Error {}

export type Scalar =
  | "string"
  | "bytes"
  | "id"
  | "bool"
  | "enum"
  | "int32"
  | "uint32"
  | "sint32"
  | "int64"
  | "uint64"
  | "fixed32"
  | "fixed64"
  | "sfixed64"
  | "double";

export type FieldSpec = { name: string; repeated?: boolean } & ({ type: Scalar } | { type: "message"; of: () => Desc });
export type Desc = Readonly<Record<number, FieldSpec>>;

const MAX_DEPTH = 32;
const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const TWO_32 = 2 ** 32;

/** The wire type each declared type arrives in when not packed. */
function wireTypeOf(type: FieldSpec["type"]): number {
  switch (type) {
    case "fixed64":
    case "sfixed64":
    case "double":
      return WIRE_I64;
    case "fixed32":
      return WIRE_I32;
    case "string":
    case "bytes":
    case "id":
    case "message":
      return WIRE_LEN;
    default:
      return WIRE_VARINT;
  }
}

class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(message: string): never {
    throw new ProtobufError(`${message} at byte ${this.pos}`);
  }

  /** A varint as a number when it fits 2^53, else as a bigint (64-bit two's complement, unsigned). */
  varint(): number | bigint {
    const buf = this.buf;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= buf.length) this.fail("truncated varint");
      const byte = buf[this.pos++] as number;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    // Past 49 bits: finish exactly in bigint.
    let big = BigInt(result);
    let shift = 49n;
    for (let i = 7; i < 10; i++) {
      if (this.pos >= buf.length) this.fail("truncated varint");
      const byte = buf[this.pos++] as number;
      big |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) {
        big &= 0xffff_ffff_ffff_ffffn;
        return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      }
      shift += 7n;
    }
    return this.fail("varint longer than 10 bytes");
  }

  /** A varint used as a length or tag: must be a small non-negative number. */
  size(): number {
    const n = this.varint();
    if (typeof n !== "number" || n > 0x7fff_ffff) this.fail("length out of range");
    return n;
  }

  take(length: number): Uint8Array {
    if (this.pos + length > this.buf.length) this.fail("truncated field");
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  fixed32(): number {
    if (this.pos + 4 > this.buf.length) this.fail("truncated fixed32");
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  fixed64(signed: boolean): string {
    if (this.pos + 8 > this.buf.length) this.fail("truncated fixed64");
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    if (hi < 0x20_0000) return String(hi * TWO_32 + lo); // below 2^53: exact in a double
    const big = (BigInt(hi) << 32n) | BigInt(lo);
    return String(signed ? BigInt.asIntN(64, big) : big);
  }

  double(): number {
    if (this.pos + 8 > this.buf.length) this.fail("truncated double");
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_I64:
        this.take(8);
        return;
      case WIRE_LEN:
        this.take(this.size());
        return;
      case WIRE_I32:
        this.take(4);
        return;
      default:
        this.fail(`unsupported wire type ${wire}`);
    }
  }
}

function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX[b];
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function int64String(v: number | bigint, signed: boolean): string {
  if (typeof v === "number") return String(v);
  return String(signed ? BigInt.asIntN(64, v) : v);
}

/** One scalar of a declared type, read from its own wire encoding. */
function readScalar(r: Reader, type: Scalar): unknown {
  switch (type) {
    case "string":
      try {
        return decoder.decode(r.take(r.size()));
      } catch (error) {
        if (error instanceof ProtobufError) throw error;
        return r.fail("string is not UTF-8");
      }
    case "bytes":
      return toBase64(r.take(r.size()));
    case "id":
      return toHex(r.take(r.size()));
    case "bool":
      return r.varint() !== 0;
    case "enum":
    case "int32": {
      const v = r.varint();
      return typeof v === "number" ? (v > 0x7fff_ffff ? v - TWO_32 : v) : Number(BigInt.asIntN(32, v));
    }
    case "uint32": {
      const v = r.varint();
      return typeof v === "number" ? v % TWO_32 : Number(BigInt.asUintN(32, v));
    }
    case "sint32": {
      const v = Number(r.varint()) % TWO_32;
      return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    }
    case "int64":
      return int64String(r.varint(), true);
    case "uint64":
      return int64String(r.varint(), false);
    case "fixed32":
      return r.fixed32();
    case "fixed64":
      return r.fixed64(false);
    case "sfixed64":
      return r.fixed64(true);
    case "double":
      return r.double();
  }
}

function readMessage(r: Reader, desc: Desc, end: number, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) r.fail("messages nested too deeply");
  const out: Record<string, unknown> = {};
  while (r.pos < end) {
    const tag = r.varint();
    if (typeof tag !== "number") r.fail("field tag out of range");
    const number = Math.floor(tag / 8);
    const wire = tag % 8;
    const field = desc[number];
    if (number === 0) r.fail("field number 0");
    if (!field) {
      r.skip(wire);
      continue;
    }
    const expected = wireTypeOf(field.type);
    if (field.repeated && wire === WIRE_LEN && expected !== WIRE_LEN) {
      // A packed run of scalars.
      const length = r.size();
      const stop = r.pos + length;
      if (stop > end) r.fail("truncated packed field");
      const list = (out[field.name] as unknown[] | undefined) ?? [];
      while (r.pos < stop) list.push(readScalar(r, field.type as Scalar));
      if (r.pos !== stop) r.fail("packed field overruns its length");
      out[field.name] = list;
      continue;
    }
    if (wire !== expected) r.fail(`field ${field.name} has wire type ${wire}, expected ${expected}`);
    let value: unknown;
    if (field.type === "message") {
      const length = r.size();
      const stop = r.pos + length;
      if (stop > end) r.fail(`truncated message ${field.name}`);
      value = readMessage(r, field.of(), stop, depth + 1);
      if (r.pos !== stop) r.fail(`message ${field.name} overruns its length`);
    } else {
      value = readScalar(r, field.type);
    }
    if (field.repeated) {
      const list = out[field.name] as unknown[] | undefined;
      if (list) list.push(value);
      else out[field.name] = [value];
    } else if (field.type === "message" && out[field.name]) {
      // A repeated occurrence of a singular message merges into the first (protobuf's rule), shallowly.
      Object.assign(out[field.name] as object, value);
    } else {
      out[field.name] = value;
    }
  }
  if (r.pos !== end) r.fail("message overruns its length");
  return out;
}

/** Decodes `bytes` as the message `desc` into its OTLP/JSON shape. */
export function decodeMessage(bytes: Uint8Array, desc: Desc): Record<string, unknown> {
  const reader = new Reader(bytes);
  return readMessage(reader, desc, bytes.length, 0);
}

// ---- Writing: only what the responses need (a varint, a length-delimited field) ----

function pushVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

export type WireValue = { field: number; varint: number } | { field: number; bytes: Uint8Array };

/** Encodes a message of varint and length-delimited fields, in the order given. */
export function encodeMessage(fields: WireValue[]): Uint8Array {
  const out: number[] = [];
  for (const f of fields) {
    if ("varint" in f) {
      pushVarint(out, f.field * 8 + WIRE_VARINT);
      pushVarint(out, f.varint);
    } else {
      pushVarint(out, f.field * 8 + WIRE_LEN);
      pushVarint(out, f.bytes.length);
      for (const b of f.bytes) out.push(b);
    }
  }
  return Uint8Array.from(out);
}
