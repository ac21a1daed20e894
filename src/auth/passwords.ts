import { fromBase64Url, randomBytes, timingSafeEqual, toBase64Url, utf8 } from "../lib/encoding";

/**
 * Passwords: PBKDF2-SHA256 through WebCrypto, 100,000 iterations (the Workers maximum), a 16-byte salt per hash,
 * compared in constant time. Stored as `pbkdf2-sha256$<iterations>$<salt>$<hash>` so the cost can rise later.
 */
export const PBKDF2_ITERATIONS = 100_000;
const HASH_BYTES = 32;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", utf8(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    HASH_BYTES * 8,
  );
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iterations || !salt || !hash) return false;
  const actual = await derive(password, fromBase64Url(salt), Number(iterations));
  return timingSafeEqual(actual, fromBase64Url(hash));
}

/**
 * A stored hash for unknown emails, so that a login for an address with no account costs the same PBKDF2 work as a
 * wrong password and the two cannot be told apart by timing.
 */
export const DUMMY_PASSWORD_HASH =
  "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/*
 * Password rules (contract §2 register and §3 change_password): 8-99 characters with at least one lower-case
 * letter, one upper-case letter, one digit and one special character. The two operations print different special
 * sets; we accept the union of both so a password valid on one is valid on the other (documented in docs/auth.md).
 */
export const PASSWORD_SPECIALS = "^$*.[]{}()?-\u201c\u201d!@#%&/,><\u2019\u2018:;|_~+`=\"'\\<>";

/** Length bounds (UTF-16 code units, as the contract's `[ 8 .. 99 ]`). The schema checks them, so the document shows them. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 99;
export const PASSWORD_LENGTH_MESSAGE = `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`;

/** The character-class rules; the length rule is the schema's `min`/`max`. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (!/[a-z]/.test(password)) problems.push("password must contain at least one lowercase letter");
  if (!/[A-Z]/.test(password)) problems.push("password must contain at least one uppercase letter");
  if (!/[0-9]/.test(password)) problems.push("password must contain at least one digit");
  if (![...password].some((ch) => PASSWORD_SPECIALS.includes(ch))) {
    problems.push("password must contain at least one special character");
  }
  return problems;
}
