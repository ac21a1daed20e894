import { ConfigError, isLocal } from "../config";
import { toHex } from "../lib/encoding";

/**
 * The pseudonymous user key on every telemetry record (docs/telemetry.md "Pseudonymous user key"): the first 16
 * bytes of HMAC-SHA256(TELEMETRY_PSEUDONYM_KEY, "nowatch-telemetry:" + user id), in hex. The same user always has
 * the same key, so a lake query can group one user's records; without the secret, the key names no one.
 */

const DEV_PSEUDONYM_KEY = "nowatch-dev-telemetry-pseudonym-key-not-secret";
const MIN_KEY_LENGTH = 32;

let cached: { secret: string; key: Promise<CryptoKey> } | null = null;

function secretOf(env: Pick<Env, "NOWATCH_ENV" | "TELEMETRY_PSEUDONYM_KEY">): string {
  const secret = env.TELEMETRY_PSEUDONYM_KEY;
  if (secret) {
    if (secret.length < MIN_KEY_LENGTH) {
      throw new ConfigError(`TELEMETRY_PSEUDONYM_KEY must be at least ${MIN_KEY_LENGTH} characters`);
    }
    if (!isLocal(env) && secret === DEV_PSEUDONYM_KEY) throw new ConfigError("the development key is refused");
    return secret;
  }
  if (isLocal(env)) return DEV_PSEUDONYM_KEY;
  throw new ConfigError("TELEMETRY_PSEUDONYM_KEY is not set");
}

export async function pseudonymOf(
  env: Pick<Env, "NOWATCH_ENV" | "TELEMETRY_PSEUDONYM_KEY">,
  userId: string,
): Promise<string> {
  const secret = secretOf(env);
  if (cached?.secret !== secret) {
    const key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    cached = { secret, key };
  }
  const mac = await crypto.subtle.sign(
    "HMAC",
    await cached.key,
    new TextEncoder().encode(`nowatch-telemetry:${userId}`),
  );
  return toHex(new Uint8Array(mac, 0, 16));
}
