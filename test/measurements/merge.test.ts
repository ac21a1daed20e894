import { describe, expect, it } from "vitest";
import { emptyDaySamples, mergeSamples } from "../../src/measurements";
import { day, int, plain, prng, randomDay, sameSamples, VALUE_KINDS } from "./random";

describe("mergeSamples", () => {
  it("lets the incoming sample win a shared second and counts replaced and added", () => {
    const base = day([0, 10, 20], [70, 71, 72], [4, 4, 4]);
    const incoming = day([10, 15, 30], [80, 81, 82], [3, 2, 1]);
    const { merged, replaced, added } = mergeSamples(base, incoming);
    expect(plain(merged)).toEqual({
      seconds: [0, 10, 15, 20, 30],
      values: [70, 80, 81, 72, 82],
      quality: [4, 3, 2, 4, 1],
    });
    expect({ replaced, added }).toEqual({ replaced: 1, added: 2 });
  });

  it("handles empty inputs on either side", () => {
    const a = day([1, 2], [3, 4]);
    expect(plain(mergeSamples(emptyDaySamples(), a).merged)).toEqual(plain(a));
    expect(plain(mergeSamples(a, emptyDaySamples()).merged)).toEqual(plain(a));
    expect(mergeSamples(a, emptyDaySamples()).added).toBe(0);
    expect(mergeSamples(emptyDaySamples(), a).added).toBe(2);
  });

  it("does not modify its inputs", () => {
    const base = day([1, 2], [3, 4]);
    const incoming = day([2, 3], [5, 6]);
    mergeSamples(base, incoming);
    expect(plain(base)).toEqual(plain(day([1, 2], [3, 4])));
    expect(plain(incoming)).toEqual(plain(day([2, 3], [5, 6])));
  });
});

describe("mergeSamples: properties", () => {
  it("is idempotent: merge(a, a) == a with every sample replaced", () => {
    const rng = prng(31);
    for (const kind of VALUE_KINDS) {
      for (let trial = 0; trial < 20; trial++) {
        const a = randomDay(rng, kind);
        const { merged, replaced, added } = mergeSamples(a, a);
        expect(sameSamples(merged, a), `${kind} trial ${trial}`).toBe(true);
        expect({ replaced, added }).toEqual({ replaced: a.seconds.length, added: 0 });
      }
    }
  });

  it("re-merging what was merged changes nothing: merge(merge(x, a), a) == merge(x, a)", () => {
    const rng = prng(37);
    for (let trial = 0; trial < 50; trial++) {
      const x = randomDay(rng, "mixed");
      const a = randomDay(rng, "mixed");
      const once = mergeSamples(x, a).merged;
      expect(sameSamples(mergeSamples(once, a).merged, once), `trial ${trial}`).toBe(true);
    }
  });

  it("is order-independent for distinct seconds: merge(merge(x, a), b) == merge(merge(x, b), a)", () => {
    const rng = prng(41);
    for (let trial = 0; trial < 50; trial++) {
      const x = randomDay(rng, "mixed");
      const both = randomDay(rng, "mixed", int(rng, 0, 4000));
      // Split one day's distinct seconds randomly into a and b, so a and b never share a second.
      const pick = Array.from(both.seconds, () => rng() < 0.5);
      const part = (keep: boolean) => {
        const idx = pick.flatMap((p, i) => (p === keep ? [i] : []));
        return day(
          idx.map((i) => both.seconds[i] as number),
          idx.map((i) => both.values[i] as number),
          idx.map((i) => both.quality[i] as number),
        );
      };
      const a = part(true);
      const b = part(false);
      const ab = mergeSamples(mergeSamples(x, a).merged, b).merged;
      const ba = mergeSamples(mergeSamples(x, b).merged, a).merged;
      expect(sameSamples(ab, ba), `trial ${trial}`).toBe(true);
      // And both equal merging the union at once.
      expect(sameSamples(ab, mergeSamples(x, both).merged)).toBe(true);
    }
  });

  it("contains every incoming sample unchanged, and every base sample whose second was not re-sent", () => {
    const rng = prng(47);
    for (let trial = 0; trial < 50; trial++) {
      const base = randomDay(rng, "mixed", int(rng, 0, 2000));
      const incoming = randomDay(rng, "mixed", int(rng, 0, 2000));
      const { merged } = mergeSamples(base, incoming);
      const at = new Map([...merged.seconds].map((second, i) => [second, i]));
      const has = (s: typeof base, i: number) => {
        const k = at.get(s.seconds[i] as number);
        return k !== undefined && Object.is(merged.values[k], s.values[i]) && merged.quality[k] === s.quality[i];
      };
      const resent = new Set(incoming.seconds);
      expect(
        [...incoming.seconds].every((_, i) => has(incoming, i)),
        `trial ${trial}`,
      ).toBe(true);
      expect(
        [...base.seconds].every((second, i) => resent.has(second) || has(base, i)),
        `trial ${trial}`,
      ).toBe(true);
    }
  });

  it("keeps the DaySamples invariant and the count identity |merged| = |base| + added", () => {
    const rng = prng(43);
    for (let trial = 0; trial < 50; trial++) {
      const base = randomDay(rng, "integer");
      const incoming = randomDay(rng, "integer");
      const { merged, added, replaced } = mergeSamples(base, incoming);
      expect(merged.seconds.length).toBe(base.seconds.length + added);
      expect(added + replaced).toBe(incoming.seconds.length);
      const ascending = merged.seconds.every((s, i) => i === 0 || s > (merged.seconds[i - 1] as number));
      expect(ascending, `trial ${trial}`).toBe(true);
    }
  });
});
