import { describe, expect, it } from "vitest";
import {
  decodeChunk,
  emptyDaySamples,
  encodeChunk,
  renderValues,
  renderValuesJsonBytes,
  renderValuesJsonString,
} from "../../src/measurements";
import { day, prng, randomDay, VALUE_KINDS } from "./random";

describe("per-day values document", () => {
  it("renders the contract's shape: seconds after midnight -> [value, quality]", () => {
    const s = day([0, 1, 86_399], [75, 76.5, -3], [4, 3, 0]);
    expect(renderValues(s)).toBe('{"0":[75,4],"1":[76.5,3],"86399":[-3,0]}');
  });

  it("renders an empty day as {}", () => {
    expect(renderValues(emptyDaySamples())).toBe("{}");
    expect(renderValuesJsonString(emptyDaySamples())).toBe('"{}"');
  });

  it("formats numbers exactly as String() does, including -0, exponents and large integers", () => {
    const values = [-0, 0, 1e21, 123456789012345, 1e15, -1e15 + 1, 5e-324, 0.1 + 0.2, -2147483648, 1e-7, 36.6];
    const s = day(
      values.map((_, i) => i),
      values,
    );
    const expected = `{${values.map((v, i) => `"${i}":[${String(v)},4]`).join(",")}}`;
    expect(renderValues(s)).toBe(expected);
  });

  it("matches JSON.stringify of an equivalent object, and parses back to the same doubles (property)", () => {
    const rng = prng(17);
    for (const kind of VALUE_KINDS) {
      for (let trial = 0; trial < 10; trial++) {
        const s = randomDay(rng, kind);
        const text = renderValues(s);
        const object: Record<string, [number, number]> = {};
        s.seconds.forEach((second, i) => {
          object[String(second)] = [s.values[i] as number, s.quality[i] as number];
        });
        // JSON.stringify writes -0 as 0, like String(); integer-like keys keep ascending order.
        expect(text).toBe(JSON.stringify(object));
        const parsed = JSON.parse(text) as Record<string, [number, number]>;
        const same = [...s.seconds].every((second, i) => parsed[String(second)]?.[0] === s.values[i]);
        expect(same, `${kind} trial ${trial}`).toBe(true);
      }
    }
  });

  it("writes the JSON-string form that JSON.stringify would write", () => {
    const rng = prng(19);
    for (let trial = 0; trial < 20; trial++) {
      const s = randomDay(rng, "mixed");
      expect(renderValuesJsonString(s)).toBe(JSON.stringify(renderValues(s)));
    }
    const body = `{"values":${renderValuesJsonString(day([5], [75]))},"count":1}`;
    expect(JSON.parse(body)).toEqual({ values: '{"5":[75,4]}', count: 1 });
  });

  it("writes the same literal as bytes, each a copy of its own, also when a bigger day grows the buffer", () => {
    const small = day([1, 2], [70, 71]);
    const first = renderValuesJsonBytes(small);
    const n = 86_400;
    const big = day(
      Array.from({ length: n }, (_, i) => i),
      Array.from({ length: n }, (_, i) => 60.5 + (i % 50)),
    );
    const grown = renderValuesJsonBytes(big);
    expect(new TextDecoder().decode(grown)).toBe(renderValuesJsonString(big));
    renderValuesJsonBytes(day([3], [99]));
    expect(new TextDecoder().decode(first)).toBe(renderValuesJsonString(small));
  });

  it("renders a full 1 Hz day from a decoded chunk", () => {
    const n = 86_400;
    const s = day(
      Array.from({ length: n }, (_, i) => i),
      Array.from({ length: n }, (_, i) => 60 + (i % 50)),
    );
    const text = renderValues(decodeChunk(encodeChunk(s)));
    expect(Object.keys(JSON.parse(text) as object)).toHaveLength(n);
    expect(text.endsWith(`"86399":[${60 + (86_399 % 50)},4]}`)).toBe(true);
  });
});
