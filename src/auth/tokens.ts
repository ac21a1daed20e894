import { createLocalJWKSet, errors, importJWK, jwtVerify, SignJWT } from "jose";
import { publicJwks, signingJwk } from "../config";
import { LIMITS } from "../lib/limits";
import { nowSeconds } from "../lib/time";

/**
 * Access and refresh tokens (architecture.md "Identity"): ES256 only (an allow-list, RFC 8725 §3.1), `iss`, `aud`,
 * `exp` and `typ` always checked. The `typ` header keeps the two kinds apart (RFC 8725 §3.11): an access token is
 * never accepted where a refresh token is expected, nor the reverse.
 */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
const ALGORITHMS = ["ES256"];
export const ACCESS_TYP = "at+jwt";
export const REFRESH_TYP = "refresh+jwt";

type TokenEnv = Pick<
  Env,
  "NOWATCH_ENV" | "JWT_ISSUER" | "JWT_AUDIENCE" | "JWT_PRIVATE_JWK" | "JWT_PREVIOUS_PUBLIC_JWKS"
>;

export interface AccessClaims {
  sub: string;
  /** The user's token version when issued; sign-out bumps it and so kills every access token at once. */
  ver: number;
  /** The refresh-token family (login session) this access token belongs to. */
  sid: string;
}

export interface RefreshClaims {
  sub: string;
  ver: number;
  jti: string;
  fam: string;
}

/** Why a token was refused: logged, never shown (the client always gets one generic 401). */
export type TokenFailure =
  | "malformed"
  | "bad_signature"
  | "expired"
  | "wrong_issuer"
  | "wrong_audience"
  | "wrong_type"
  | "bad_algorithm"
  | "bad_claims"
  | "issued_in_future";

export type VerifyResult<T> = { ok: true; claims: T } | { ok: false; reason: TokenFailure };

// Imported keys are cached per isolate: importing is the slow part of signing.
const keyCache = new Map<string, Promise<CryptoKey | Uint8Array>>();

function privateKey(env: TokenEnv) {
  const jwk = signingJwk(env);
  const cacheKey = `priv:${jwk.kid}:${jwk.x}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = importJWK(jwk, "ES256");
    keyCache.set(cacheKey, key);
  }
  return { key, kid: jwk.kid ?? "nowatch-1" };
}

export async function signAccessToken(env: TokenEnv, claims: AccessClaims): Promise<string> {
  const { key, kid } = privateKey(env);
  return new SignJWT({ ver: claims.ver, sid: claims.sid })
    .setProtectedHeader({ alg: "ES256", typ: ACCESS_TYP, kid })
    .setSubject(claims.sub)
    .setIssuer(env.JWT_ISSUER)
    .setAudience(env.JWT_AUDIENCE)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(await key);
}

export async function signRefreshToken(env: TokenEnv, claims: RefreshClaims): Promise<string> {
  const { key, kid } = privateKey(env);
  return new SignJWT({ ver: claims.ver, fam: claims.fam })
    .setProtectedHeader({ alg: "ES256", typ: REFRESH_TYP, kid })
    .setSubject(claims.sub)
    .setIssuer(env.JWT_ISSUER)
    .setAudience(env.JWT_AUDIENCE)
    .setIssuedAt()
    .setJti(claims.jti)
    .setExpirationTime(`${REFRESH_TOKEN_TTL_SECONDS}s`)
    .sign(await key);
}

/** Thrown for a token issued in the future: a forged or badly clocked issuer, never ours. */
class IssuedInFuture extends Error {}

function failureOf(error: unknown): TokenFailure {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof IssuedInFuture) return "issued_in_future";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "wrong_issuer";
    if (error.claim === "aud") return "wrong_audience";
    if (error.claim === "typ") return "wrong_type";
    return "bad_claims";
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return "bad_algorithm";
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return "bad_signature";
  }
  return "malformed";
}

// The verifying key set is built once per isolate and configuration (it caches the imported keys).
let keySet: { config: string; keys: ReturnType<typeof createLocalJWKSet> } | undefined;

function verifyingKeys(env: TokenEnv) {
  const config = `${env.NOWATCH_ENV}|${env.JWT_PRIVATE_JWK ?? ""}|${env.JWT_PREVIOUS_PUBLIC_JWKS ?? ""}`;
  if (keySet?.config !== config) keySet = { config, keys: createLocalJWKSet({ keys: publicJwks(env) }) };
  return keySet.keys;
}

async function verify(token: string, env: TokenEnv, typ: string) {
  const verified = await jwtVerify(token, verifyingKeys(env), {
    algorithms: ALGORITHMS,
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    typ,
    requiredClaims: ["sub", "exp", "iat", "jti"],
  });
  // jose checks `iat` only together with maxTokenAge; `exp` must stay exact, so no clockTolerance either.
  const iat = verified.payload.iat;
  if (typeof iat !== "number" || iat > nowSeconds() + LIMITS.tokenClockSkewSeconds) throw new IssuedInFuture();
  return verified;
}

export async function verifyAccessToken(env: TokenEnv, token: string): Promise<VerifyResult<AccessClaims>> {
  try {
    const { payload } = await verify(token, env, ACCESS_TYP);
    const { sub, ver, sid } = payload;
    if (typeof sub !== "string" || typeof ver !== "number" || typeof sid !== "string") {
      return { ok: false, reason: "bad_claims" };
    }
    return { ok: true, claims: { sub, ver, sid } };
  } catch (error) {
    return { ok: false, reason: failureOf(error) };
  }
}

export async function verifyRefreshToken(env: TokenEnv, token: string): Promise<VerifyResult<RefreshClaims>> {
  try {
    const { payload } = await verify(token, env, REFRESH_TYP);
    const { sub, ver, fam, jti } = payload;
    if (typeof sub !== "string" || typeof ver !== "number" || typeof fam !== "string" || typeof jti !== "string") {
      return { ok: false, reason: "bad_claims" };
    }
    return { ok: true, claims: { sub, ver, fam, jti } };
  } catch (error) {
    return { ok: false, reason: failureOf(error) };
  }
}

export function jwks(env: TokenEnv) {
  return {
    keys: publicJwks(env).map(({ kty = "EC", crv = "P-256", x = "", y = "", kid = "" }) => ({
      kty,
      crv,
      x,
      y,
      kid,
      alg: "ES256",
      use: "sig",
    })),
  };
}
