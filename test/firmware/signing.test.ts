import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config";
import { firmwareJwks, firmwareSigningJwk, MANIFEST_TTL_SECONDS, signManifest } from "../../src/firmware/signing";

/** Manifest signing keys and the compact JWS (src/firmware/signing.ts), verified with jose's own verifier. */

const local = { NOWATCH_ENV: "local" } as const;
const claims = {
  releaseId: "r1",
  version: "2.0.0",
  hardwareRevision: "NW1",
  size: 123,
  sha256: "ab".repeat(32),
  mandatory: true,
  minVersion: "1.5.0",
  channel: "stable",
  userId: "uid_x",
};

describe("firmware signing", () => {
  it("signs an EdDSA compact JWS that the published JWKS verifies, with the claims and a one-day expiry", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { jws, expiresAt } = await signManifest(local, claims, now);
    expect(jws.split(".")).toHaveLength(3);
    expect(decodeProtectedHeader(jws)).toMatchObject({ alg: "EdDSA", kid: "nowatch-firmware-dev-1" });
    const { payload } = await jwtVerify(jws, createLocalJWKSet(firmwareJwks(local) as never), {
      issuer: "nowatch-firmware",
    });
    expect(payload).toMatchObject({
      release_id: "r1",
      version: "2.0.0",
      hardware_revision: "NW1",
      size: 123,
      sha256: "ab".repeat(32),
      mandatory: true,
      min_version: "1.5.0",
      sub: "uid_x",
      iat: now,
      exp: now + MANIFEST_TTL_SECONDS,
    });
    expect(expiresAt).toBe(now + MANIFEST_TTL_SECONDS);
  });

  it("a manifest edited after signing fails verification", async () => {
    const { jws } = await signManifest(local, claims, Math.floor(Date.now() / 1000));
    const [h, p, s] = jws.split(".") as [string, string, string];
    const forged = JSON.parse(atob(p.replace(/-/g, "+").replace(/_/g, "/")));
    forged.sha256 = "cd".repeat(32);
    const body = btoa(JSON.stringify(forged)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    await expect(jwtVerify(`${h}.${body}.${s}`, createLocalJWKSet(firmwareJwks(local) as never))).rejects.toThrow();
  });

  it("the JWKS holds public halves only, current key first, then retired ones", () => {
    const retired = { kty: "OKP", crv: "Ed25519", x: "retired-x", d: "secret", kid: "old-1" };
    const { keys } = firmwareJwks({ ...local, FIRMWARE_PREVIOUS_PUBLIC_JWKS: JSON.stringify([retired]) });
    expect(keys.map((k) => k.kid)).toEqual(["nowatch-firmware-dev-1", "old-1"]);
    for (const key of keys) {
      expect(key.d).toBeUndefined();
      expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    }
  });

  it("deployed: the secret is required, and the development key is refused", () => {
    expect(() => firmwareSigningJwk({ NOWATCH_ENV: "production" })).toThrow(ConfigError);
    const dev = JSON.stringify(firmwareSigningJwk(local));
    expect(() => firmwareSigningJwk({ NOWATCH_ENV: "production", FIRMWARE_SIGNING_JWK: dev })).toThrow(ConfigError);
    expect(() => firmwareSigningJwk({ NOWATCH_ENV: "production", FIRMWARE_SIGNING_JWK: '{"kty":"EC"}' })).toThrow(
      ConfigError,
    );
    expect(() => firmwareSigningJwk({ NOWATCH_ENV: "production", FIRMWARE_SIGNING_JWK: "not json" })).toThrow(
      ConfigError,
    );
  });
});
