import { describe, expect, it } from "vitest";
import { inRollout, rolloutBucket } from "../../src/firmware/rollout";

/** The staged-rollout hash (src/firmware/rollout.ts). */

const users = Array.from({ length: 10_000 }, (_, i) => `uid_${i.toString(16).padStart(8, "0")}`);

describe("rollout", () => {
  it("is deterministic per (user, release)", () => {
    for (const u of users.slice(0, 50)) expect(rolloutBucket("r1", u)).toBe(rolloutBucket("r1", u));
  });

  it("lets in about the percentage of users", () => {
    for (const percent of [1, 10, 50, 90]) {
      const share = users.filter((u) => inRollout("release-a", u, percent)).length / users.length;
      expect(Math.abs(share - percent / 100), `${percent}%`).toBeLessThan(0.015);
    }
    expect(users.every((u) => inRollout("release-a", u, 100))).toBe(true);
    expect(users.some((u) => inRollout("release-a", u, 0))).toBe(false);
  });

  it("raising the percentage only lets users in: nobody flips out", () => {
    let previous = new Set<string>();
    for (const percent of [0, 5, 20, 21, 50, 75, 99, 100]) {
      const now = new Set(users.filter((u) => inRollout("release-b", u, percent)));
      for (const u of previous) expect(now.has(u)).toBe(true);
      previous = now;
    }
  });

  it("another release draws other users first", () => {
    const a = users.filter((u) => inRollout("release-a", u, 10));
    const b = new Set(users.filter((u) => inRollout("release-b", u, 10)));
    const overlap = a.filter((u) => b.has(u)).length / a.length;
    expect(overlap).toBeLessThan(0.2); // independent draws overlap by ~10%
  });
});
