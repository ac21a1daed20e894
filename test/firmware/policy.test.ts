import { describe, expect, it } from "vitest";
import type { ReleaseRow } from "../../src/db/firmware";
import { chooseUpdate, isVisible, mayReport } from "../../src/firmware/policy";
import { parseSemver, type SemVer } from "../../src/firmware/semver";

/** What a watch is offered (src/firmware/policy.ts). */

function release(version: string, extra: Partial<ReleaseRow> = {}): ReleaseRow {
  return {
    id: `r-${version}`,
    version,
    channel: "stable",
    status: "published",
    rolloutPercent: 100,
    failureThresholdPercent: 10,
    minReports: 20,
    mandatory: false,
    minVersion: null,
    notes: "",
    sizeBytes: 10,
    sha256: "0".repeat(64),
    objectKey: `releases/r-${version}`,
    downloads: 0,
    installs: 0,
    failures: 0,
    haltReason: null,
    createdBy: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    publishedAt: "2026-01-01T00:00:00.000Z",
    haltedAt: null,
    retiredAt: null,
    hardwareRevisions: ["NW1"],
    ...extra,
  };
}

const user = { id: "uid_a", isEarlyAccess: false };
const early = { id: "uid_b", isEarlyAccess: true };
const v = (text: string) => parseSemver(text) as SemVer;

describe("chooseUpdate", () => {
  it("offers the highest newer version; nothing when up to date; never a downgrade", () => {
    const all = [release("1.0.0"), release("1.2.0"), release("1.1.0")];
    expect(chooseUpdate(all, user, v("1.0.0"))?.release.version).toBe("1.2.0");
    expect(chooseUpdate(all, user, v("1.2.0"))).toBeNull();
    expect(chooseUpdate(all, user, v("2.0.0"))).toBeNull();
    expect(chooseUpdate(all, user, v("1.2.0-rc.1"))?.release.version).toBe("1.2.0");
  });

  it("respects stepping stones: a release with min_version is reached through the one before", () => {
    const all = [release("1.0.0"), release("1.5.0"), release("2.0.0", { minVersion: "1.5.0" })];
    const step = chooseUpdate(all, user, v("1.0.0"));
    expect(step?.release.version).toBe("1.5.0");
    expect(step?.steppingStone).toBe(true);
    const final = chooseUpdate(all, user, v("1.5.0"));
    expect(final?.release.version).toBe("2.0.0");
    expect(final?.steppingStone).toBe(false);
    // No stepping stone published: nothing can be installed yet.
    expect(chooseUpdate([release("2.0.0", { minVersion: "1.5.0" })], user, v("1.0.0"))).toBeNull();
  });

  it("is mandatory when any newer visible release is", () => {
    const all = [release("1.1.0", { mandatory: true }), release("1.2.0")];
    expect(chooseUpdate(all, user, v("1.0.0"))?.mandatory).toBe(true);
    expect(chooseUpdate(all, user, v("1.1.0"))?.mandatory).toBe(false);
  });

  it("beta releases only for early-access users; drafts, halted and retired releases never", () => {
    const beta = release("3.0.0-beta.1", { channel: "beta" });
    expect(chooseUpdate([beta], user, v("1.0.0"))).toBeNull();
    expect(chooseUpdate([beta], early, v("1.0.0"))?.release.version).toBe("3.0.0-beta.1");
    for (const status of ["draft", "halted", "retired"] as const) {
      expect(chooseUpdate([release("9.0.0", { status })], early, v("1.0.0"))).toBeNull();
      expect(isVisible(release("9.0.0", { status }), early)).toBe(false);
    }
  });

  it("a release at 0% rollout reaches nobody; at 100% everybody", () => {
    expect(chooseUpdate([release("2.0.0", { rolloutPercent: 0 })], user, v("1.0.0"))).toBeNull();
    expect(chooseUpdate([release("2.0.0", { rolloutPercent: 100 })], user, v("1.0.0"))).not.toBeNull();
  });
});

describe("mayReport", () => {
  it("takes reports on a release once offered, even halted or retired, never on a draft or beta for others", () => {
    expect(mayReport(release("1.0.0", { status: "halted" }), user, false)).toBe(true);
    expect(mayReport(release("1.0.0", { status: "retired" }), user, false)).toBe(true);
    expect(mayReport(release("1.0.0", { status: "draft" }), user, false)).toBe(false);
    expect(mayReport(release("1.0.0", { channel: "beta" }), user, false)).toBe(false);
    expect(mayReport(release("1.0.0", { rolloutPercent: 0 }), user, false)).toBe(false);
    expect(mayReport(release("1.0.0", { rolloutPercent: 0 }), user, true)).toBe(true);
  });
});
