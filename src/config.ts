/**
 * Runtime configuration derived from bindings, in one place. Local development credentials exist only when
 * NOWATCH_ENV is "local" (set by `npm run dev` and by the test pool); a deployed Worker refuses them.
 */
export const DEV_CLIENT_ID = "nowatch-dev";
export const DEV_CLIENT_SECRET = "dev-secret";
export const DEV_ADMIN = { email: "admin@nowatch.local", password: "Admin-Passw0rd!" } as const;
export const DEV_DEMO = { email: "demo@nowatch.local", password: "Demo-Passw0rd!" } as const;

/** A fixed signing key for local development only (never accepted when NOWATCH_ENV is not "local"). */
const DEV_SIGNING_JWK = {
  kty: "EC",
  crv: "P-256",
  x: "OJtMYkWdOEr0-pAxxqAuILO87g0dz8g1T7jZogFTTYQ",
  y: "E333Or_zLfKL6UgUoDJ7AqPT19xkQd3QVwub_isvOyw",
  d: "XjsyINWa21p0fMWgvPsmS3lt-IPDOh4lIlR_mCTvkcA",
  kid: "nowatch-dev-1",
  alg: "ES256",
} as const;

export type Jwk = Record<string, string>;

export class ConfigError extends Error {}

type ConfigEnv = Pick<
  Env,
  "NOWATCH_ENV" | "APP_CLIENTS" | "JWT_PRIVATE_JWK" | "JWT_PREVIOUS_PUBLIC_JWKS" | "MAIL_API_URL" | "MAIL_API_KEY"
>;

export function isLocal(env: Pick<Env, "NOWATCH_ENV">): boolean {
  return env.NOWATCH_ENV === "local";
}

function parseJson(name: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name} is not valid JSON`);
  }
}

/** The app clients allowed on auth routes: `clientId -> secret`. */
export function appClients(env: ConfigEnv): Map<string, string> {
  const clients = new Map<string, string>();
  if (env.APP_CLIENTS) {
    const parsed = parseJson("APP_CLIENTS", env.APP_CLIENTS);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError("APP_CLIENTS must be a JSON object of clientId to secret");
    }
    for (const [id, secret] of Object.entries(parsed)) {
      if (typeof secret !== "string" || secret.length === 0) continue;
      clients.set(id, secret);
    }
  }
  if (isLocal(env)) {
    clients.set(DEV_CLIENT_ID, DEV_CLIENT_SECRET);
  } else {
    // A deployed Worker never accepts the published development credentials, even if configured by mistake.
    clients.delete(DEV_CLIENT_ID);
    for (const [id, secret] of clients) if (secret === DEV_CLIENT_SECRET) clients.delete(id);
  }
  return clients;
}

/** The private signing JWK. Locally the fixed development key; deployed, the JWT_PRIVATE_JWK secret. */
export function signingJwk(env: ConfigEnv): Jwk {
  if (env.JWT_PRIVATE_JWK) {
    const jwk = parseJson("JWT_PRIVATE_JWK", env.JWT_PRIVATE_JWK) as Jwk;
    if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.d) {
      throw new ConfigError("JWT_PRIVATE_JWK must be a private P-256 (ES256) JWK");
    }
    if (!isLocal(env) && jwk.kid === DEV_SIGNING_JWK.kid) throw new ConfigError("the development key is refused");
    return { ...jwk, alg: "ES256", kid: jwk.kid ?? "nowatch-1" };
  }
  if (isLocal(env)) return { ...DEV_SIGNING_JWK };
  throw new ConfigError("JWT_PRIVATE_JWK is not set");
}

/** Public JWKs accepted for verification: the current key's public half plus retired ones. */
export function publicJwks(env: ConfigEnv): Jwk[] {
  const { d: _d, ...current } = signingJwk(env);
  const keys: Jwk[] = [current];
  if (env.JWT_PREVIOUS_PUBLIC_JWKS) {
    const previous = parseJson("JWT_PREVIOUS_PUBLIC_JWKS", env.JWT_PREVIOUS_PUBLIC_JWKS);
    if (!Array.isArray(previous)) throw new ConfigError("JWT_PREVIOUS_PUBLIC_JWKS must be a JSON array");
    for (const key of previous as Jwk[]) {
      const { d: _secret, ...pub } = key;
      keys.push(pub);
    }
  }
  return keys;
}
