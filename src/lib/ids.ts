import { randomBytes, toBase64Url, toHex } from "./encoding";

/**
 * User ids are opaque and unguessable (architecture.md "Access control"): `uid_` + 16 random bytes in hex + 24 more
 * random bytes in base64url, in the spirit of the contract's example id. 320 random bits in all.
 */
export function newUserId(): string {
  return `uid_${toHex(randomBytes(16))}${toBase64Url(randomBytes(24))}`;
}

export const USER_ID_PATTERN = /^uid_[0-9a-f]{32}[A-Za-z0-9_-]{32}$/;

export function newUuid(): string {
  return crypto.randomUUID();
}
