import type { DaySamples } from "../../src/measurements";

/** mulberry32: a tiny seeded PRNG, so every property-test failure replays from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

export const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

export type ValueKind = "integer" | "decimal1" | "decimal2" | "decimal3" | "float64" | "mixed";
export const VALUE_KINDS: readonly ValueKind[] = ["integer", "decimal1", "decimal2", "decimal3", "float64", "mixed"];

const bits = new DataView(new ArrayBuffer(8));

/** Any finite double: random sign, exponent and mantissa bits (subnormals and huge magnitudes included). */
export function anyFinite(rng: Rng): number {
  for (;;) {
    bits.setUint32(0, Math.floor(rng() * 2 ** 32));
    bits.setUint32(4, Math.floor(rng() * 2 ** 32));
    const v = bits.getFloat64(0);
    if (Number.isFinite(v)) return v;
  }
}

export function randomValue(rng: Rng, kind: ValueKind): number {
  switch (kind) {
    case "integer":
      return rng() < 0.1 ? int(rng, -2_000_000_000, 2_000_000_000) : int(rng, -300, 300);
    case "decimal1":
      return int(rng, -5000, 5000) / 10;
    case "decimal2":
      return int(rng, -50_000, 50_000) / 100;
    case "decimal3":
      return int(rng, -500_000, 500_000) / 1000;
    case "float64":
      return rng() < 0.5 ? anyFinite(rng) : (rng() - 0.5) * 1000;
    case "mixed":
      return randomValue(rng, VALUE_KINDS[int(rng, 0, 4)] as ValueKind);
  }
}

/** A valid DaySamples: `count` distinct random seconds (or a dense 1 Hz run), values of `kind`, qualities 0-4. */
export function randomDay(rng: Rng, kind: ValueKind, count = int(rng, 0, 3000)): DaySamples {
  const chosen = new Set<number>();
  if (rng() < 0.3) {
    const start = int(rng, 0, 86_400 - count);
    for (let i = 0; i < count; i++) chosen.add(start + i);
  } else {
    while (chosen.size < count) chosen.add(int(rng, 0, 86_399));
  }
  const seconds = Int32Array.from([...chosen].sort((a, b) => a - b));
  const values = Float64Array.from(seconds, () => randomValue(rng, kind));
  const steady = rng() < 0.5;
  const quality = Uint8Array.from(seconds, () => (steady && rng() < 0.95 ? 4 : int(rng, 0, 4)));
  return { seconds, values, quality };
}

/** Plain arrays for readable toEqual diffs; Object.is semantics keep -0 distinct from 0. */
export function plain(s: DaySamples): { seconds: number[]; values: number[]; quality: number[] } {
  return { seconds: [...s.seconds], values: [...s.values], quality: [...s.quality] };
}

export function day(seconds: number[], values: number[], quality?: number[]): DaySamples {
  return {
    seconds: Int32Array.from(seconds),
    values: Float64Array.from(values),
    quality: Uint8Array.from(quality ?? seconds.map(() => 4)),
  };
}

/** Bit-level equality of two DaySamples (NaN-free, but -0 vs 0 and every mantissa bit count). */
export function sameSamples(a: DaySamples, b: DaySamples): boolean {
  if (a.seconds.length !== b.seconds.length) return false;
  for (let i = 0; i < a.seconds.length; i++) {
    if (a.seconds[i] !== b.seconds[i] || a.quality[i] !== b.quality[i]) return false;
    if (!Object.is(a.values[i], b.values[i])) return false;
  }
  return true;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
