import { describe, expect, it } from "vitest";
import { SHAREABLE_DATA_TYPES } from "../../src/db/schema";
import {
  cutDays,
  cutInstants,
  cutIsoRange,
  cutSeconds,
  grantRead,
  isVisible,
  loggedRangeStart,
  ownScope,
  type ReadGrant,
  type ShareGrant,
  sharedScope,
  sinceIso,
} from "../../src/sharing/policy";

/** The pure read policy (src/sharing/policy.ts): no request, no D1, the same answers for every caller of it. */

const SINCE = "2024-01-01T12:00:00.000Z";
const SINCE_MS = Date.parse(SINCE);
const all: ShareGrant = { sharedSince: SINCE, types: null, expiresAt: null };

function granted(share: ShareGrant = all): ReadGrant {
  const grant = grantRead(sharedScope("viewer", "owner", share), "HEART_RATE");
  expect(grant).not.toBeNull();
  return grant as ReadGrant;
}
const own = grantRead(ownScope("me"), "HEART_RATE") as ReadGrant;

describe("grantRead", () => {
  it("grants one's own data whole, of every type", () => {
    for (const type of SHAREABLE_DATA_TYPES) {
      expect(grantRead(ownScope("me"), type)).toEqual({
        ownerId: "me",
        viewerId: "me",
        dataType: type,
        viaShare: false,
        since: null,
        sinceMs: null,
      });
    }
  });

  it("treats a scope naming oneself as one's own data, whatever share is passed", () => {
    expect(sharedScope("me", "me", null)).toEqual(ownScope("me"));
    expect(grantRead(sharedScope("me", "me", null), "SESSIONS")?.viaShare).toBe(false);
  });

  it("grants another user's data only through their share, from sharedSince on", () => {
    expect(granted()).toEqual({
      ownerId: "owner",
      viewerId: "viewer",
      dataType: "HEART_RATE",
      viaShare: true,
      since: SINCE,
      sinceMs: SINCE_MS,
    });
    expect(grantRead(sharedScope("viewer", "owner", null), "HEART_RATE")).toBeNull();
  });

  it("grants only the share's types when it is limited", () => {
    const scope = sharedScope("viewer", "owner", { ...all, types: ["STATISTICS", "SESSIONS"] });
    expect(grantRead(scope, "STATISTICS")).not.toBeNull();
    expect(grantRead(scope, "SESSIONS")).not.toBeNull();
    expect(grantRead(scope, "HEART_RATE")).toBeNull();
    expect(grantRead(sharedScope("viewer", "owner", { ...all, types: [] }), "SESSIONS")).toBeNull();
  });

  it("refuses a share at and after its expiry, even if a lookup returned it", () => {
    const scope = sharedScope("viewer", "owner", { ...all, expiresAt: "2030-01-01T00:00:00.000Z" });
    expect(grantRead(scope, "HEART_RATE", Date.parse("2029-12-31T23:59:59.999Z"))).not.toBeNull();
    expect(grantRead(scope, "HEART_RATE", Date.parse("2030-01-01T00:00:00.000Z"))).toBeNull();
  });

  it("refuses a share whose sharedSince is not a date rather than granting everything", () => {
    expect(grantRead(sharedScope("viewer", "owner", { ...all, sharedSince: "garbage" }), "HEART_RATE")).toBeNull();
  });
});

describe("the cuts at sharedSince", () => {
  it("isVisible hides what is strictly before since, for ISO text and epoch milliseconds", () => {
    const grant = granted();
    expect(isVisible(own, "1990-01-01T00:00:00Z")).toBe(true);
    expect(isVisible(grant, "2024-01-01T11:59:59.999Z")).toBe(false);
    expect(isVisible(grant, SINCE)).toBe(true);
    expect(isVisible(grant, "2024-01-01T13:00:00+01:00")).toBe(true);
    expect(isVisible(grant, SINCE_MS - 1)).toBe(false);
    expect(isVisible(grant, SINCE_MS)).toBe(true);
  });

  it("cutInstants and cutIsoRange start a range at since when it starts before, and keep a later start", () => {
    const grant = granted();
    expect(cutInstants(own, 0, 10)).toEqual({ fromMs: 0, toMs: 10 });
    expect(cutInstants(grant, 0, SINCE_MS + 10)).toEqual({ fromMs: SINCE_MS, toMs: SINCE_MS + 10 });
    expect(cutInstants(grant, SINCE_MS + 5, SINCE_MS + 10)).toEqual({ fromMs: SINCE_MS + 5, toMs: SINCE_MS + 10 });
    expect(cutIsoRange(grant, "2023-06-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z")).toEqual({
      from: SINCE,
      to: "2024-02-01T00:00:00.000Z",
    });
    // Wholly before since: empty (from after to), which every store answers with nothing.
    const before = cutIsoRange(grant, "2023-01-01T00:00:00.000Z", "2023-02-01T00:00:00.000Z");
    expect(before.from > before.to).toBe(true);
  });

  it("cutSeconds rounds since up to the next whole second", () => {
    const grant = granted({ ...all, sharedSince: "2024-01-01T12:00:00.250Z" });
    expect(cutSeconds(grant, 0, 2e9).start).toBe(Math.ceil(Date.parse("2024-01-01T12:00:00.250Z") / 1000));
    expect(cutSeconds(own, 7, 9)).toEqual({ start: 7, end: 9 });
  });

  it("cutDays starts at since's day and drops that day's samples before since", () => {
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 1000;
    const grant = granted();
    expect(cutDays(own, day("2023-01-01"), day("2023-01-31"))).toEqual({
      startDay: day("2023-01-01"),
      endDay: day("2023-01-31"),
      firstSecond: 0,
    });
    expect(cutDays(grant, day("2023-12-01"), day("2024-01-31"))).toEqual({
      startDay: day("2024-01-01"),
      endDay: day("2024-01-31"),
      firstSecond: 12 * 3600,
    });
    expect(cutDays(grant, day("2024-01-01"), day("2024-01-01")).firstSecond).toBe(12 * 3600);
    expect(cutDays(grant, day("2024-01-02"), day("2024-01-31"))).toEqual({
      startDay: day("2024-01-02"),
      endDay: day("2024-01-31"),
      firstSecond: 0,
    });
    const before = cutDays(grant, day("2023-01-01"), day("2023-01-31"));
    expect(before.startDay > before.endDay).toBe(true);
  });

  it("sinceIso normalizes since for the stores that compare text", () => {
    expect(sinceIso(own)).toBeNull();
    expect(sinceIso(granted({ ...all, sharedSince: "2024-01-01T13:00:00+01:00" }))).toBe(SINCE);
  });

  it.each([
    [undefined, SINCE],
    ["2023-12-31T23:00:00Z", SINCE],
    ["2024-01-01", SINCE],
    ["2024-01-02", "2024-01-02"],
    ["not a date", SINCE],
  ])("loggedRangeStart(shared, %s) = %s", (start, expected) => {
    expect(loggedRangeStart(granted(), start)).toBe(expected);
  });

  it("loggedRangeStart keeps one's own start as sent", () => {
    expect(loggedRangeStart(own, undefined)).toBeNull();
    expect(loggedRangeStart(own, "2020-01-01")).toBe("2020-01-01");
  });

  it("names the fifteen shareable data types", () => {
    expect(SHAREABLE_DATA_TYPES).toHaveLength(15);
    expect(SHAREABLE_DATA_TYPES).toContain("MOTION_GRAPH");
    expect(SHAREABLE_DATA_TYPES).toContain("DAY_FEEDBACK");
  });
});
