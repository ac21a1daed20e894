import { describe, expect, it } from "vitest";
import { CHUNK_VERSION, ChunkError, type DaySamples, decodeChunk, encodeChunk } from "../../src/measurements";
import { anyFinite, day, int, plain, prng, randomDay, sameBytes, sameSamples, VALUE_KINDS } from "./random";

function fullDay(value: (i: number) => number, quality: (i: number) => number = () => 4): DaySamples {
  const n = 86_400;
  return {
    seconds: Int32Array.from({ length: n }, (_, i) => i),
    values: Float64Array.from({ length: n }, (_, i) => value(i)),
    quality: Uint8Array.from({ length: n }, (_, i) => quality(i)),
  };
}

describe("chunk codec: format", () => {
  it("encodes an empty day as version + zero count", () => {
    const bytes = encodeChunk(day([], []));
    expect([...bytes]).toEqual([CHUNK_VERSION, 0]);
    expect(plain(decodeChunk(bytes))).toEqual({ seconds: [], values: [], quality: [] });
  });

  it("encodes a full 1 Hz day of heart rate compactly (one run for all seconds)", () => {
    let hr = 70;
    const rng = prng(7);
    const s = fullDay(() => {
      hr = Math.min(180, Math.max(40, hr + int(rng, -1, 1)));
      return hr;
    });
    const bytes = encodeChunk(s);
    expect(bytes.length).toBeLessThan(100_000);
    expect(sameSamples(decodeChunk(bytes), s)).toBe(true);
  });

  it("stays under 2 MB for the worst case: 86,400 arbitrary doubles with random quality", () => {
    const rng = prng(11);
    const s = fullDay(
      () => anyFinite(rng),
      () => int(rng, 0, 4),
    );
    const bytes = encodeChunk(s);
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
    expect(bytes.length).toBeLessThan(86_400 * 9 + 100);
    expect(sameSamples(decodeChunk(bytes), s)).toBe(true);
  });

  it("picks the scaled-decimal kind for 1-3 fraction digits and raw float64 beyond", () => {
    const kindOf = (values: number[]) => {
      const bytes = encodeChunk(day([0], values));
      return bytes[3]; // version, count, the one second's token, then the value kind
    };
    expect(kindOf([75])).toBe(0);
    expect(kindOf([36.6])).toBe(1);
    expect(kindOf([-12.25])).toBe(2);
    expect(kindOf([0.001])).toBe(3);
    expect(kindOf([0.0001])).toBe(8);
    expect(kindOf([Math.PI])).toBe(8);
    expect(kindOf([-0])).toBe(8); // -0 has no integer form; raw keeps its sign bit
    expect(kindOf([2 ** 40])).toBe(8);
  });

  it("keeps -0, subnormals, extremes and decimals that are not what they look like bit-exact", () => {
    const values = [-0, 5e-324, -Number.MAX_VALUE, Number.MAX_VALUE, 0.1 + 0.2, 2 ** 53 + 2, 1e21, 36.6, -(2 ** 28)];
    const s = day(
      values.map((_, i) => i * 10),
      values,
    );
    expect(sameSamples(decodeChunk(encodeChunk(s)), s)).toBe(true);
  });

  it("round-trips mixed scales in one day (the largest scale wins)", () => {
    const s = day([1, 2, 3, 4], [1, 2.5, 3.25, -4.125]);
    const back = decodeChunk(encodeChunk(s));
    expect([...back.values]).toEqual([1, 2.5, 3.25, -4.125]);
  });

  it("rejects samples that break the DaySamples invariant", () => {
    expect(() => encodeChunk(day([5, 5], [1, 2]))).toThrow(RangeError);
    expect(() => encodeChunk(day([6, 5], [1, 2]))).toThrow(/ascend/);
    expect(() => encodeChunk(day([86_400], [1]))).toThrow(/0\.\.86399/);
    expect(() => encodeChunk(day([-1], [1]))).toThrow(RangeError);
    expect(() => encodeChunk(day([1], [Number.NaN]))).toThrow(/not finite/);
    expect(() => encodeChunk(day([1], [Number.POSITIVE_INFINITY]))).toThrow(/not finite/);
    expect(() => encodeChunk(day([1], [1], [5]))).toThrow(/quality/);
    expect(() =>
      encodeChunk({ seconds: Int32Array.of(1), values: new Float64Array(2), quality: new Uint8Array(1) }),
    ).toThrow(/length/);
  });
});

describe("chunk codec: corrupt input", () => {
  const valid = encodeChunk(day([0, 1, 2, 3, 10, 500], [75, 76, 76, 76, 80, 81], [4, 4, 4, 3, 2, 4]));

  it.each([
    ["empty", []],
    ["one byte", [CHUNK_VERSION]],
    ["unknown version", [9, 0]],
    ["count over one day", [CHUNK_VERSION, 0x81, 0xa3, 0x05]],
    ["endless varint", [CHUNK_VERSION, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
    ["trailing bytes", [CHUNK_VERSION, 0, 0]],
    ["second 86400", [CHUNK_VERSION, 1, 0x82, 0xc6, 0x0a, 0, 0, 0, 4, 1]],
    ["repeated second (gap 0)", [CHUNK_VERSION, 2, 2, 0, 0, 2, 4, 0, 4, 2]],
    ["run longer than the count", [CHUNK_VERSION, 2, 3, 5]],
    ["unknown value kind", [CHUNK_VERSION, 1, 2, 7, 0, 0, 4, 1]],
    ["quality 5", [CHUNK_VERSION, 1, 2, 0, 2, 0, 5, 1]],
    ["unknown quality kind", [CHUNK_VERSION, 1, 2, 0, 2, 2, 4]],
    ["raw values cut short", [CHUNK_VERSION, 1, 2, 8, 0, 0, 0]],
    ["raw NaN", [CHUNK_VERSION, 1, 2, 8, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 4, 1]],
  ])("throws a ChunkError for %s", (_, bytes) => {
    expect(() => decodeChunk(Uint8Array.from(bytes))).toThrow(ChunkError);
  });

  it("throws a ChunkError (never hangs or reads out of range) for every truncation of a valid chunk", () => {
    for (let length = 0; length < valid.length; length++) {
      expect(() => decodeChunk(valid.subarray(0, length)), `length ${length}`).toThrow(ChunkError);
    }
  });

  it("never hangs and only throws ChunkError on random byte flips", () => {
    const rng = prng(99);
    const big = encodeChunk(randomDay(rng, "mixed", 2000));
    for (let trial = 0; trial < 500; trial++) {
      const bytes = (trial % 2 ? big : valid).slice();
      const flips = int(rng, 1, 4);
      for (let f = 0; f < flips; f++) bytes[int(rng, 0, bytes.length - 1)] = int(rng, 0, 255);
      try {
        const s = decodeChunk(bytes);
        // A flip can still decode; the result must then be a valid day.
        expect(() => encodeChunk(s)).not.toThrow();
      } catch (error) {
        expect(error).toBeInstanceOf(ChunkError);
      }
    }
  });
});

describe("chunk codec: properties", () => {
  it.each(VALUE_KINDS)("round-trips random %s days exactly", (kind) => {
    const rng = prng(kind.length * 7919);
    for (let trial = 0; trial < 60; trial++) {
      const s = randomDay(rng, kind);
      const back = decodeChunk(encodeChunk(s));
      if (!sameSamples(back, s)) expect(plain(back), `trial ${trial}`).toEqual(plain(s));
      expect(sameSamples(back, s)).toBe(true);
    }
  });

  it("is deterministic: encoding a decoded chunk gives the same bytes", () => {
    const rng = prng(5);
    for (let trial = 0; trial < 40; trial++) {
      const bytes = encodeChunk(randomDay(rng, "mixed"));
      expect(sameBytes(encodeChunk(decodeChunk(bytes)), bytes), `trial ${trial}`).toBe(true);
    }
  });
});
