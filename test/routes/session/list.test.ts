import { describe, expect, it } from "vitest";
import { issuePath } from "../../../src/lib/validation";
import { SessionRangeQuerySchema, sessionRange } from "../../../src/routes/session/list";
import { cutIsoRange, grantRead, ownScope, sharedScope } from "../../../src/sharing/policy";

/** Pure pieces of the record routes: error paths and ranges. */
describe("record route helpers", () => {
  it("names batch elements by index in brackets", () => {
    expect(issuePath([3, "start_datetime"])).toBe("[3].start_datetime");
    expect(issuePath([0, "info", "subjective_inputs", 2, "type"])).toBe("[0].info.subjective_inputs[2].type");
    expect(issuePath(["start_day"])).toBe("start_day");
    expect(issuePath([])).toBe("");
  });

  it("turns start_date/end_date into a half-open UTC range: days whole, date-times inclusive", () => {
    expect(sessionRange({ start_date: "2024-03-01", end_date: "2024-03-31" })).toEqual({
      from: "2024-03-01T00:00:00.000Z",
      to: "2024-04-01T00:00:00.000Z",
    });
    expect(sessionRange({ start_date: "2024-03-01T10:00:00+01:00", end_date: "2024-03-01T12:00:00Z" })).toEqual({
      from: "2024-03-01T09:00:00.000Z",
      to: "2024-03-01T12:00:00.001Z",
    });
    expect(SessionRangeQuerySchema.safeParse({ start_date: "2024-01-01", end_date: "2024-12-31" }).success).toBe(true);
    expect(SessionRangeQuerySchema.safeParse({ start_date: "2024-01-01", end_date: "2025-01-01" }).success).toBe(false);
    expect(
      SessionRangeQuerySchema.safeParse({ start_date: "2024-03-01T10:00:00Z", end_date: "2024-03-01T10:00:00Z" })
        .success,
    ).toBe(true);
  });

  it("cuts a range at the share's sharedSince", () => {
    const own = grantRead(ownScope("u"), "SESSIONS");
    const shared = grantRead(
      sharedScope("v", "u", { sharedSince: "2024-02-01T00:00:00+00:00", types: null, expiresAt: null }),
      "SESSIONS",
    );
    if (!own || !shared) throw new Error("both reads are granted");
    const to = "2024-04-01T00:00:00.000Z";
    expect(cutIsoRange(own, "2024-01-01T00:00:00.000Z", to).from).toBe("2024-01-01T00:00:00.000Z");
    expect(cutIsoRange(shared, "2024-01-01T00:00:00.000Z", to).from).toBe("2024-02-01T00:00:00.000Z");
    expect(cutIsoRange(shared, "2024-03-01T00:00:00.000Z", to).from).toBe("2024-03-01T00:00:00.000Z");
  });
});
