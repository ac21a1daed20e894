import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../db";
import { authSessions, refreshTokens, type User, users } from "../db/schema";
import { LIMITS } from "../lib/limits";
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
type TokenUser = Pick<User, "id" | "tokenVersion">;

/** The access token and the refresh token `jti` of a session, signed together. */
async function signPair(env: SessionEnv, user: TokenUser, sessionId: string, jti: string): Promise<TokenPair> {
  const [access, refresh] = await Promise.all([
    signAccessToken(env, { sub: user.id, ver: user.tokenVersion, sid: sessionId }),
    signRefreshToken(env, { sub: user.id, ver: user.tokenVersion, jti, fam: sessionId }),
  ]);
  return { access, refresh, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/** A login: a new session and its first pair of tokens, written in one batch. */
export async function startSession(db: Db, env: SessionEnv, user: TokenUser): Promise<TokenPair> {
  const sessionId = crypto.randomUUID();
  const jti = crypto.randomUUID();
  const now = nowSeconds();
  const pair = await signPair(env, user, sessionId, jti);
  await db.batch([
    db.insert(authSessions).values({ id: sessionId, userId: user.id, createdAt: now }),
    db.insert(refreshTokens).values({
      jti,
      familyId: sessionId,
      userId: user.id,
      expiresAt: now + REFRESH_TOKEN_TTL_SECONDS,
      createdAt: now,
    }),
  ]);
  return pair;
}

export type RefreshFailure =
  | "invalid_token"
  | "unknown_token"
  | "revoked"
  | "reused"
  | "stale_version"
  | "no_user"
  | "expired";

export interface RotateOptions {
  /** The clock, in epoch seconds (tests move it). */
  now?: number;
  /** How long after a rotation the spent token may be presented again without counting as theft. */
  graceSeconds?: number;
}

type RefreshRow = typeof refreshTokens.$inferSelect;

/** Links followed from a re-presented token to its newest successor; a longer chain within the grace is theft. */
const MAX_GRACE_HOPS = 5;

/**
 * Rotates a refresh token (architecture.md "Identity"). The presented token is claimed and its successor inserted
 * in one D1 batch (a transaction), so two concurrent refreshes cannot both rotate it.
 *
 * Presenting a spent token again normally means it leaked, and revokes the whole session. Within the grace interval
 * after its rotation it is instead taken for a retry (a lost response, two requests racing): the caller gets the
 * successor token again, re-signed, and nothing is revoked. After the interval, reuse revokes as before.
 */
export async function rotateRefreshToken(
  db: Db,
  env: SessionEnv,
  token: string,
  options: RotateOptions = {},
): Promise<{ ok: true; pair: TokenPair } | { ok: false; reason: RefreshFailure | string }> {
  const now = options.now ?? nowSeconds();
  const grace = options.graceSeconds ?? LIMITS.refreshReuseGraceSeconds;
  const verified = await verifyRefreshToken(env, token);
  if (!verified.ok) return { ok: false, reason: verified.reason };
  const { sub, jti, fam, ver } = verified.claims;
  // The token, its session and its user in one round trip.
  const [row, session, owner] = await db.batch([
    db.select().from(refreshTokens).where(eq(refreshTokens.jti, jti)),
    db.select().from(authSessions).where(eq(authSessions.id, fam)),
    db.select({ id: users.id, tokenVersion: users.tokenVersion }).from(users).where(eq(users.id, sub)),
  ]);
  const presented = row[0];
  if (!presented || presented.userId !== sub || presented.familyId !== fam)
    return { ok: false, reason: "unknown_token" };
  if (!session[0] || session[0].userId !== sub) return { ok: false, reason: "unknown_token" };
  if (presented.revoked || session[0].revokedAt !== null) return { ok: false, reason: "revoked" };
  if (presented.expiresAt <= now) return { ok: false, reason: "expired" };
  const user = owner[0];
  if (!user) return { ok: false, reason: "no_user" };
  if (user.tokenVersion !== ver) return { ok: false, reason: "stale_version" };

  if (presented.usedAt === null) {
    const successor = crypto.randomUUID();
    const pair = await signPair(env, user, fam, successor);
    const [claimed] = await db.batch([
      db
        .update(refreshTokens)
        .set({ usedAt: now, replacedBy: successor })
        .where(and(eq(refreshTokens.jti, jti), isNull(refreshTokens.usedAt), eq(refreshTokens.revoked, false)))
        .returning({ jti: refreshTokens.jti }),
      // Inserted only if the claim above won: a lost race leaves no orphan successor.
      db.insert(refreshTokens).select((qb) =>
        // INSERT … SELECT lists the table's columns in declaration order: keep these fields in that order.
        qb
          .select({
            jti: sql<string>`${successor}`.as("jti"),
            familyId: refreshTokens.familyId,
            userId: refreshTokens.userId,
            expiresAt: sql<number>`${now + REFRESH_TOKEN_TTL_SECONDS}`.as("expires_at"),
            usedAt: sql<null>`NULL`.as("used_at"),
            replacedBy: sql<null>`NULL`.as("replaced_by"),
            revoked: sql<number>`0`.as("revoked"),
            createdAt: sql<number>`${now}`.as("created_at"),
          })
          .from(refreshTokens)
          .where(and(eq(refreshTokens.jti, jti), eq(refreshTokens.replacedBy, successor))),
      ),
    ]);
    if (claimed.length === 1) return { ok: true, pair };
  }
  return retryWithinGrace(db, env, user, jti, fam, now, grace);
}

/** The spent token's newest successor, re-signed, if every rotation on the way happened within the grace interval. */
async function retryWithinGrace(
  db: Db,
  env: SessionEnv,
  user: TokenUser,
  jti: string,
  sessionId: string,
  now: number,
  grace: number,
) {
  let current: RefreshRow | undefined = await findToken(db, jti);
  for (let hop = 0; current && hop < MAX_GRACE_HOPS; hop += 1) {
    if (current.revoked) return { ok: false as const, reason: "revoked" };
    if (current.usedAt === null) {
      return { ok: true as const, pair: await signPair(env, user, current.familyId, current.jti) };
    }
    if (now - current.usedAt > grace || current.replacedBy === null) break;
    current = await findToken(db, current.replacedBy);
  }
  await db.batch(revokeSession(db, sessionId, now));
  return { ok: false as const, reason: "reused" };
}

function findToken(db: Db, jti: string) {
  return db.select().from(refreshTokens).where(eq(refreshTokens.jti, jti)).get();
}

/** Ends one session: its refresh tokens and, through the per-request session check, its access tokens. */
export function revokeSession(db: Db, sessionId: string, now = nowSeconds()) {
  return [
    db.update(refreshTokens).set({ revoked: true }).where(eq(refreshTokens.familyId, sessionId)),
    db
      .update(authSessions)
      .set({ revokedAt: now })
      .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt))),
  ] as const;
}

/** Ends every session of a user, optionally sparing one (the caller's own). Statements for one `db.batch`. */
export function revokeSessions(db: Db, userId: string, exceptSession?: string, now = nowSeconds()) {
  const tokens = exceptSession
    ? and(eq(refreshTokens.userId, userId), ne(refreshTokens.familyId, exceptSession))
    : eq(refreshTokens.userId, userId);
  const sessions = exceptSession
    ? and(eq(authSessions.userId, userId), ne(authSessions.id, exceptSession), isNull(authSessions.revokedAt))
    : and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt));
  return [
    db.update(refreshTokens).set({ revoked: true }).where(tokens),
    db.update(authSessions).set({ revokedAt: now }).where(sessions),
  ] as const;
}
