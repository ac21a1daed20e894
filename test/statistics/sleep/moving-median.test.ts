import { describe, expect, it } from "vitest";
import { movingMedian, quantile } from "../../../src/statistics/sleep/shared";
import { prng } from "../../measurements/random";

describe("movingMedian", () => {
  it("equals the median of each window's finite values, NaN gaps included", () => {
    const random = prng(7);
    for (const r of [0, 2, 5, 60]) {
      const values = Array.from({ length: 400 }, () => (random() < 0.2 ? Number.NaN : Math.round(random() * 100) / 2));
      const got = movingMedian(values, r);
      for (let j = 0; j < values.length; j++) {
        const window = values.slice(Math.max(0, j - r), Math.min(values.length, j + r + 1));
        const want = quantile(window, 0.5);
        if (Number.isNaN(want)) expect(Number.isNaN(got[j] as number)).toBe(true);
        else expect(got[j], `r=${r} j=${j}`).toBe(want);
      }
    }
  });
});
