import { describe, expect, it } from "vitest";
import { compareVersions, isSemver, parseSemver, precedenceKey } from "../../src/firmware/semver";

/** Semantic Versioning 2.0.0 (src/firmware/semver.ts) against the examples of semver.org. */

describe("semver", () => {
  it.each([
    "0.0.0",
    "1.2.3",
    "10.20.30",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-0.3.7",
    "1.0.0-x.7.z.92",
    "1.0.0+20130313144700",
    "1.0.0-beta+exp.sha.5114f85",
    "1.0.0-rc.1+build.1",
  ])("%s is a version", (v) => expect(isSemver(v)).toBe(true));

  it.each([
    "",
    "1",
    "1.2",
    "1.2.3.4",
    "01.2.3",
    "1.02.3",
    "1.2.03",
    "v1.2.3",
    "1.2.3-",
    "1.2.3-01",
    "1.2.3+",
    "1.2.3-alpha..1",
    " 1.2.3",
    "1.2.3 ",
    "latest",
    `1.2.${"9".repeat(70)}`,
    "99999999999999999999.0.0",
  ])("%j is not", (v) => expect(isSemver(v)).toBe(false));

  it("orders by precedence (semver.org §11), build metadata ignored", () => {
    const ordered = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "1.0.1",
      "1.1.0",
      "1.10.0",
      "2.0.0",
    ];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect(
          Math.sign(compareVersions(ordered[i] as string, ordered[j] as string)),
          `${ordered[i]} vs ${ordered[j]}`,
        ).toBe(Math.sign(i - j));
      }
    }
    expect(compareVersions("1.0.0+a", "1.0.0+b")).toBe(0);
    expect(precedenceKey("1.0.0-rc.1+build.7")).toBe("1.0.0-rc.1");
    expect(parseSemver("2.4.1-beta.3+x")).toEqual({
      major: 2,
      minor: 4,
      patch: 1,
      prerelease: ["beta", "3"],
      build: "x",
    });
  });
});
