import { COLUMN_SPECS, type DaySamples, DEFAULT_QUALITY, type MeasurementType } from "../../src/measurements";
import { int, type Rng } from "../measurements/random";

/** 2023-01-01T00:00:00Z; NOW is a month later, so every sample of the day is in the past. */
export const DAY = 1_672_531_200;
export const NOW = DAY + 31 * 86_400;

/** Values an upload of the type accepts and whose text is hard to write: exponents, many digits, extremes. */
export function awkwardValues(type: MeasurementType): number[] {
  const { integer, min, max } = COLUMN_SPECS[type];
  const candidates = integer
    ? [min, max, 1, 2_147_483_647, 999_999, 100_000]
    : [min, max, 1e-7, 5e-324, 123456.789, 0.1 + 0.2, 36.55, -12.75, 999_999.999_999_999_9, 1 / 3, 2 ** -30, -1e-7];
  return candidates.filter((v) => v >= min && v <= max && (!integer || Number.isInteger(v)));
}

/** A value the type accepts: integers for integer types; 1-3 fraction digits or a full-precision double otherwise. */
export function valueFor(type: MeasurementType, rng: Rng): number {
  const { integer, min, max } = COLUMN_SPECS[type];
  const top = Math.min(max, 1_000_000);
  if (integer) return int(rng, min, top);
  const roll = int(rng, 0, 5);
  if (roll === 4) return min + rng() * (top - min); // ~17 significant digits
  if (roll === 5) {
    const awkward = awkwardValues(type);
    return awkward[int(rng, 0, awkward.length - 1)] as number;
  }
  const scale = 10 ** roll;
  const v = int(rng, Math.ceil(min * scale), Math.floor(top * scale)) / scale;
  return v + 0; // an upload stores -0 as 0, so a stored day never holds -0
}

/**
 * A valid stored day of the type: a 1 Hz run with holes, a sparse grid (60 s) with holes, or random seconds; values
 * the upload accepts; qualities 0-4, always 4 for the graph types (as the store keeps them).
 */
export function typeDay(type: MeasurementType, rng: Rng, count = int(rng, 0, 2000)): DaySamples {
  const chosen = new Set<number>();
  const shape = int(rng, 0, 2);
  if (shape === 0) {
    const start = int(rng, 0, 86_400 - count);
    for (let i = 0; i < count; i++) if (rng() < 0.9) chosen.add(start + i);
  } else if (shape === 1) {
    const slots = Math.min(count, 1440);
    const offset = int(rng, 0, 59);
    for (let i = 0; i < slots; i++) if (rng() < 0.8) chosen.add(offset + 60 * i);
  } else {
    while (chosen.size < count) chosen.add(int(rng, 0, 86_399));
  }
  const seconds = Int32Array.from([...chosen].sort((a, b) => a - b));
  const values = Float64Array.from(seconds, () => valueFor(type, rng));
  const hasQuality = COLUMN_SPECS[type].hasQuality;
  const quality = Uint8Array.from(seconds, () => (hasQuality ? int(rng, 0, 4) : DEFAULT_QUALITY));
  return { seconds, values, quality };
}

/** A full 1 Hz day: 86,400 samples with values that cycle through the type's range. */
export function fullDay(type: MeasurementType): DaySamples {
  const { integer, min, max } = COLUMN_SPECS[type];
  const n = 86_400;
  const span = Math.min(max, 1000) - min;
  const seconds = Int32Array.from({ length: n }, (_, i) => i);
  const values = Float64Array.from(seconds, (i) => min + (integer ? i % (span + 1) : ((i * 7) % (span * 100)) / 100));
  const quality = Uint8Array.from(seconds, (i) => (COLUMN_SPECS[type].hasQuality ? i % 5 : DEFAULT_QUALITY));
  return { seconds, values, quality };
}

/** Seconds-of-day samples as [datetime, value, quality] rows, the parser sink's view. */
export const rowsOf = (dayEpoch: number, s: DaySamples): [number, number, number][] =>
  [...s.seconds].map((second, i) => [dayEpoch + second, s.values[i] as number, s.quality[i] as number]);
