import { randomBytes, utf8 } from "../lib/encoding";

/**
 * Signing per the Standard Webhooks specification (docs/changes.md "Verifying a delivery"): a secret is `whsec_` +
 * base64 of 32 random bytes; a signature is `v1,` + base64 HMAC-SHA256, keyed by the decoded secret, over
 * `<webhook-id>.<webhook-timestamp>.<body>`. While a rotated secret still signs, the header carries both
 * signatures, space-separated, and a receiver accepts either.
 */

export const SECRET_PREFIX = "whsec_";
const SECRET_BYTES = 32;

const base64 = (bytes: Uint8Array): string => {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
};

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${base64(randomBytes(SECRET_BYTES))}`;
}

function secretKey(secret: string): Promise<CryptoKey> {
  const raw = Uint8Array.from(atob(secret.slice(SECRET_PREFIX.length)), (ch) => ch.charCodeAt(0));
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

export async function sign(secret: string, messageId: string, timestamp: number, body: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await secretKey(secret), utf8(`${messageId}.${timestamp}.${body}`));
  return `v1,${base64(new Uint8Array(mac))}`;
}

/** The `webhook-signature` header: one signature per secret that still signs, the current one first. */
export async function signatureHeader(
  secrets: readonly string[],
  messageId: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const signatures = await Promise.all(secrets.map((secret) => sign(secret, messageId, timestamp, body)));
  return signatures.join(" ");
}
