import { describe, expect, it } from "vitest";
import { COLUMN_SPECS, MEASUREMENT_TYPES, type MeasurementType } from "../../src/measurements";
import { bytes, NOW, parsePieces, type Row, randomPieces } from "./csv-helpers";
import { int, prng, type Rng } from "./random";

const T = 1_672_531_200;

/** A value the type accepts: integers for integer types; 1-3 fraction digits or a full-precision double otherwise. */
function valueFor(type: MeasurementType, rng: Rng): number {
  const { integer, min, max } = COLUMN_SPECS[type];
  const top = Math.min(max, 1_000_000);
  if (integer) return int(rng, min, top);
  const digits = int(rng, 0, 4);
  if (digits === 4) return min + rng() * (top - min); // ~17 significant digits: the Number() slow path
  const scale = 10 ** digits;
  const v = int(rng, Math.ceil(min * scale), Math.floor(top * scale)) / scale;
  return v === 0 ? 0 : v; // -0 is stored as 0 by design; keep the expectation simple
}

function randomRows(type: MeasurementType, rng: Rng): Row[] {
  const hasQuality = COLUMN_SPECS[type].hasQuality;
  return Array.from({ length: int(rng, 0, 300) }, () => [
    T + int(rng, 0, 40 * 86_400),
    valueFor(type, rng),
    hasQuality ? int(rng, 0, 4) : 4,
  ]);
}

function toCsv(type: MeasurementType, rows: Row[], rng: Rng): string {
  const spec = COLUMN_SPECS[type];
  const eol = rng() < 0.5 ? "\n" : "\r\n";
  const lines = rows.map(([d, v, q]) => (spec.hasQuality ? `${d},${v},${q}` : `${d},${v}`));
  if (rng() < 0.5) lines.unshift(spec.columns.join(","));
  return lines.join(eol) + (rng() < 0.5 ? eol : "");
}

describe("CSV parser: properties", () => {
  it.each(MEASUREMENT_TYPES)("CSV generated from random %s samples parses back to exactly those samples", (type) => {
    const rng = prng(type.length * 104_729 + type.charCodeAt(0));
    for (let trial = 0; trial < 40; trial++) {
      const rows = randomRows(type, rng);
      const data = bytes(toCsv(type, rows, rng));
      const pieces = randomPieces(data, rng, int(rng, 1, 200));
      const parsed = parsePieces(type, pieces, T + 41 * 86_400);
      expect(parsed, `trial ${trial}`).toEqual(rows);
      expect(parsed.every(([, v], i) => Object.is(v, rows[i]?.[1]))).toBe(true);
    }
  });

  it("hand-built decimals equal Number(text) bit for bit, up to 15 digits and beyond", () => {
    const rng = prng(2024);
    const texts: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const whole = String(int(rng, 0, 999_999));
      const fraction = Array.from({ length: int(rng, 0, 14) }, () => int(rng, 0, 9)).join("");
      texts.push(fraction.length > 0 || rng() < 0.1 ? `${whole}.${fraction}` : whole);
    }
    const csv = texts.map((text, i) => `${T + i},${text}`).join("\n");
    const parsed = parsePieces("MOTION_GRAPH", [bytes(csv)], NOW);
    const mismatches = parsed.filter(([, v], i) => !Object.is(v, Number(texts[i])));
    expect(mismatches).toEqual([]);
    expect(parsed).toHaveLength(texts.length);
  });
});
