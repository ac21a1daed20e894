import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../src/changes/cursor";
import { eventOf, feedCut, WEBHOOK_EVENTS } from "../../src/changes/kinds";
import { toBase64Url, utf8 } from "../../src/lib/encoding";

describe("change feed cursors", () => {
  const owner = "uid_0123456789abcdef0123456789abcdefABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

  it("round-trip a position for the feed they were issued for", () => {
    const cursor = encodeCursor(owner, { seq: 42, issuedAt: 1_800_000_000 });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(owner, cursor)).toEqual({ ok: true, position: { seq: 42, issuedAt: 1_800_000_000 } });
  });

  it("refuse another user's cursor and anything the API did not issue", () => {
    const theirs = encodeCursor(`${owner.slice(0, -1)}6`, { seq: 1, issuedAt: 1_800_000_000 });
    expect(decodeCursor(owner, theirs)).toMatchObject({ ok: false, problem: expect.stringContaining("another") });
    for (const bad of ["", "!!!", "abc", toBase64Url(utf8("1.-1.5.00000000")), toBase64Url(utf8("2.1.1.00000000"))]) {
      expect(decodeCursor(owner, bad).ok).toBe(false);
    }
    expect(decodeCursor(owner, "A".repeat(300)).ok).toBe(false);
  });
});

describe("change kinds", () => {
  it("every event of the table is a distinct name", () => {
    expect(new Set(WEBHOOK_EVENTS).size).toBe(WEBHOOK_EVENTS.length);
    expect(WEBHOOK_EVENTS).toEqual(
      expect.arrayContaining([
        "measurement.updated",
        "session.updated",
        "session.deleted",
        "checkin.updated",
        "day_feedback.updated",
        "share.updated",
      ]),
    );
    expect(eventOf("measurement_day", "delete")).toBe("measurement.deleted");
    expect(() => eventOf("settings", "delete")).toThrow();
  });

  it("a viewer's cut holds only the kinds and types the share grants", () => {
    expect(feedCut(new Set(["HEART_RATE", "SESSIONS", "STATISTICS"]), 5)).toEqual({
      kinds: ["session"],
      measurementTypes: ["HEART_RATE"],
      sinceMs: 5,
    });
    expect(feedCut(new Set(["STATISTICS"]), 5)).toBeNull();
  });
});
