import { type CryptoKey, importJWK, SignJWT } from "jose";
import { ConfigError, isLocal, type Jwk } from "../config";

/**
 * Signed firmware manifests (docs/firmware.md "Manifest"): a compact JWS, `alg: EdDSA` (Ed25519), whose payload
 * names the release, its version, the hardware revision, size and SHA-256, and an expiry. A watch holding the public
 * keys verifies it offline before flashing, so a manifest cannot be replayed for another binary or another
 * hardware revision, nor for ever (the expiry, after TUF's timestamp role). Keys are separate from the token keys:
 * the firmware trust root can be rotated, or kept offline, on its own schedule.
 */

/** A fixed key for local development only: refused whenever NOWATCH_ENV is not "local". */
const DEV_FIRMWARE_JWK = {
  kty: "OKP",
  crv: "Ed25519",
  x: "lD_Rc7kbcwyFvx9nxGwuRDw1IwbZe4jgNF-uUEdC3cA",
  d: "0PUgoXbqHeh8B7PEVtf-CzgcdZ53WAK28j_OArL-gbs",
  kid: "nowatch-firmware-dev-1",
  alg: "EdDSA",
} as const;

/** How long a manifest may be acted on: a day, renewed by asking /v1/firmware/latest again. */
export const MANIFEST_TTL_SECONDS = 24 * 3600;
export const MANIFEST_TYP = "nowatch-firmware-manifest+jwt";
export const MANIFEST_ISSUER = "nowatch-firmware";

type KeyEnv = Pick<Env, "NOWATCH_ENV" | "FIRMWARE_SIGNING_JWK" | "FIRMWARE_PREVIOUS_PUBLIC_JWKS">;

function parseJson(name: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name} is not valid JSON`);
  }
}

/** The private signing JWK: the FIRMWARE_SIGNING_JWK secret, or locally the development key. */
export function firmwareSigningJwk(env: KeyEnv): Jwk {
  if (env.FIRMWARE_SIGNING_JWK) {
    const jwk = parseJson("FIRMWARE_SIGNING_JWK", env.FIRMWARE_SIGNING_JWK) as Jwk;
    if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.d || !jwk.x) {
      throw new ConfigError("FIRMWARE_SIGNING_JWK must be a private Ed25519 (OKP) JWK");
    }
    if (!isLocal(env) && (jwk.kid === DEV_FIRMWARE_JWK.kid || jwk.d === DEV_FIRMWARE_JWK.d)) {
      throw new ConfigError("the development firmware key is refused");
    }
    return { ...jwk, alg: "EdDSA", kid: jwk.kid ?? "nowatch-firmware-1" };
  }
  if (isLocal(env)) return { ...DEV_FIRMWARE_JWK };
  throw new ConfigError("FIRMWARE_SIGNING_JWK is not set");
}

/** The JWKS a watch trusts: the current key's public half, then retired ones. */
export function firmwareJwks(env: KeyEnv): { keys: Jwk[] } {
  const { d: _d, ...current } = firmwareSigningJwk(env);
  const keys: Jwk[] = [{ ...current, use: "sig" }];
  if (env.FIRMWARE_PREVIOUS_PUBLIC_JWKS) {
    const previous = parseJson("FIRMWARE_PREVIOUS_PUBLIC_JWKS", env.FIRMWARE_PREVIOUS_PUBLIC_JWKS);
    if (!Array.isArray(previous)) throw new ConfigError("FIRMWARE_PREVIOUS_PUBLIC_JWKS must be a JSON array");
    for (const key of previous as Jwk[]) {
      const { d: _secret, ...pub } = key;
      keys.push({ alg: "EdDSA", use: "sig", ...pub });
    }
  }
  return { keys };
}

let cached: { raw: string; key: Promise<CryptoKey | Uint8Array> } | null = null;

function signingKey(jwk: Jwk) {
  const raw = JSON.stringify(jwk);
  if (cached?.raw !== raw) cached = { raw, key: importJWK(jwk, "EdDSA") };
  return cached.key;
}

export interface ManifestClaims {
  releaseId: string;
  version: string;
  hardwareRevision: string;
  size: number;
  sha256: string;
  mandatory: boolean;
  minVersion: string | null;
  channel: string;
  /** The user the manifest was issued to (`sub`). */
  userId: string;
}

/** The compact JWS of a manifest, valid MANIFEST_TTL_SECONDS from `now` (Unix seconds). */
export async function signManifest(
  env: KeyEnv,
  claims: ManifestClaims,
  now: number,
): Promise<{ jws: string; expiresAt: number }> {
  const jwk = firmwareSigningJwk(env);
  const expiresAt = now + MANIFEST_TTL_SECONDS;
  const jws = await new SignJWT({
    release_id: claims.releaseId,
    version: claims.version,
    hardware_revision: claims.hardwareRevision,
    size: claims.size,
    sha256: claims.sha256,
    mandatory: claims.mandatory,
    min_version: claims.minVersion,
    channel: claims.channel,
  })
    .setProtectedHeader({ alg: "EdDSA", kid: jwk.kid as string, typ: MANIFEST_TYP })
    .setIssuer(MANIFEST_ISSUER)
    .setSubject(claims.userId)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .sign(await signingKey(jwk));
  return { jws, expiresAt };
}
