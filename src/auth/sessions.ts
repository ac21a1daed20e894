import { and, eq, isNull, ne } from "drizzle-orm";
import type { Db } from "../db";
import { refreshTokens, type User } from "../db/schema";
import { nowSeconds } from "../lib/time";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  REFRESH_TOKEN_TTL_SECONDS,
  signAccessToken,
  signRefreshToken,
  verifyRefreshToken,
} from "./tokens";

export interface TokenPair {
  access: string;
  refresh: string;
  expiresIn: number;
}

type SessionEnv = Parameters<typeof signAccessToken>[0];

async function issue(db: Db, env: SessionEnv, user: Pick<User, "id" | "tokenVersion">, familyId: string) {
  const jti = crypto.randomUUID();
  const now = nowSeconds();
  const [access, refresh] = await Promise.all([
    signAccessToken(env, { sub: user.id, ver: user.tokenVersion, sid: familyId }),
    signRefreshToken(env, { sub: user.id, ver: user.tokenVersion, jti, fam: familyId }),
  ]);
  const insert = db.insert(refreshTokens).values({
    jti,
    familyId,
    userId: user.id,
    expiresAt: now + REFRESH_TOKEN_TTL_SECONDS,
    createdAt: now,
  });
  return { pair: { access, refresh, expiresIn: ACCESS_TOKEN_TTL_SECONDS } satisfies TokenPair, insert };
}

/** A login: a new refresh-token family and its first pair of tokens. */
export async function startSession(db: Db, env: SessionEnv, user: Pick<User, "id" | "tokenVersion">) {
  const { pair, insert } = await issue(db, env, user, crypto.randomUUID());
  await insert;
  return pair;
}

export type RefreshFailure = "invalid_token" | "unknown_token" | "revoked" | "reused" | "stale_version" | "no_user";

/**
 * Rotates a refresh token (architecture.md "Identity"). The presented token is marked used with a conditional
 * UPDATE, so two concurrent refreshes with the same token cannot both win; presenting a used token again revokes
 * its whole family (it has leaked).
 */
export async function rotateRefreshToken(
  db: Db,
  env: SessionEnv,
  token: string,
  loadUser: (id: string) => Promise<Pick<User, "id" | "tokenVersion"> | undefined>,
): Promise<{ ok: true; pair: TokenPair } | { ok: false; reason: RefreshFailure | string }> {
  const verified = await verifyRefreshToken(env, token);
  if (!verified.ok) return { ok: false, reason: verified.reason };
  const { sub, jti, fam, ver } = verified.claims;
  const row = await db.select().from(refreshTokens).where(eq(refreshTokens.jti, jti)).get();
  if (!row || row.userId !== sub || row.familyId !== fam) return { ok: false, reason: "unknown_token" };
  if (row.revoked) return { ok: false, reason: "revoked" };
  const user = await loadUser(sub);
  if (!user) return { ok: false, reason: "no_user" };
  if (user.tokenVersion !== ver) return { ok: false, reason: "stale_version" };

  const claimed = await db
    .update(refreshTokens)
    .set({ usedAt: nowSeconds() })
    .where(and(eq(refreshTokens.jti, jti), isNull(refreshTokens.usedAt), eq(refreshTokens.revoked, false)))
    .returning({ jti: refreshTokens.jti });
  if (claimed.length !== 1) {
    await revokeFamily(db, fam);
    return { ok: false, reason: "reused" };
  }
  const { pair, insert } = await issue(db, env, user, fam);
  await insert;
  return { ok: true, pair };
}

export function revokeFamily(db: Db, familyId: string) {
  return db.update(refreshTokens).set({ revoked: true }).where(eq(refreshTokens.familyId, familyId));
}

/** Revokes every refresh token of a user, optionally sparing one family (the caller's own session). */
export function revokeAllRefreshTokens(db: Db, userId: string, exceptFamily?: string) {
  const where = exceptFamily
    ? and(eq(refreshTokens.userId, userId), ne(refreshTokens.familyId, exceptFamily))
    : eq(refreshTokens.userId, userId);
  return db.update(refreshTokens).set({ revoked: true }).where(where);
}
