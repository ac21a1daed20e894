import { describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS, verifyPassword } from "../../src/auth/passwords";
import { PASSWORD_HASH } from "../fixtures/password-hash";
import { PASSWORD } from "../helpers";

describe("the precomputed hash of the test password (test/fixtures/password-hash.ts)", () => {
  it("verifies against PASSWORD", async () => {
    expect(await verifyPassword(PASSWORD, PASSWORD_HASH)).toBe(true);
  });

  it("refuses another password", async () => {
    expect(await verifyPassword(`${PASSWORD}x`, PASSWORD_HASH)).toBe(false);
  });

  it("is in the stored format, at the current cost", () => {
    const [scheme, iterations, salt, hash] = PASSWORD_HASH.split("$");
    expect(scheme).toBe("pbkdf2-sha256");
    expect(Number(iterations)).toBe(PBKDF2_ITERATIONS);
    expect(salt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
