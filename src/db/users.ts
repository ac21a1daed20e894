import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "./index";
import { authSessions, type NewUser, type User, userSettings, users } from "./schema";

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  return db.select().from(users).where(eq(users.id, id)).get();
}

/** The emails of the accounts that still exist among `ids`, by id: one query whatever the number of ids. */
export async function findEmailsByIds(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(sql`${users.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
  return new Map(rows.map((row) => [row.id, row.email]));
}

/** The join that tells whether a login session is live: its row exists for this user and is not revoked. */
export const liveSession = (sessionId: string) =>
  and(eq(authSessions.id, sessionId), eq(authSessions.userId, users.id), isNull(authSessions.revokedAt));

/** The caller of an authenticated request and whether their session is live, in one query. */
export async function findSessionUser(
  db: Db,
  userId: string,
  sessionId: string,
): Promise<{ user: User; sessionLive: boolean } | undefined> {
  const row = await db
    .select({ user: users, liveSessionId: authSessions.id })
    .from(users)
    .leftJoin(authSessions, liveSession(sessionId))
    .where(eq(users.id, userId))
    .get();
  return row && { user: row.user, sessionLive: row.liveSessionId !== null };
}

/** Marks the address proven (a verification code or a completed password reset); the first proof's time stays. */
export function markEmailVerified(db: Db, id: string, at: string) {
  return db
    .update(users)
    .set({ emailVerifiedAt: at })
    .where(and(eq(users.id, id), isNull(users.emailVerifiedAt)));
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .get();
}

/** Inserts a user; returns false when the email is taken (the unique index decides, so concurrent sign-ups are safe). */
export async function insertUser(db: Db, user: NewUser): Promise<boolean> {
  const inserted = await db
    .insert(users)
    .values({ ...user, email: normalizeEmail(user.email) })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  return inserted.length === 1;
}

/** The update as a statement, for a `db.batch` with other writes that must land with it. */
export function updateUserStatement(db: Db, id: string, patch: Partial<NewUser>) {
  return db
    .update(users)
    .set({ ...patch, updatedAt: new Date().toISOString() })
    .where(eq(users.id, id));
}

export async function updateUser(db: Db, id: string, patch: Partial<NewUser>): Promise<User | undefined> {
  return updateUserStatement(db, id, patch).returning().get();
}

/** Moves the token version: every access token issued before stops working at once. */
export function bumpTokenVersion(db: Db, id: string) {
  return db
    .update(users)
    .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
    .where(eq(users.id, id));
}

/** What statistics read of an account: the date of birth and the raw settings JSON (null before the first PUT). */
export async function findStatisticsProfile(
  db: Db,
  id: string,
): Promise<{ dateOfBirth: string | null; settings: string | null } | undefined> {
  return db
    .select({ dateOfBirth: users.dateOfBirth, settings: userSettings.settings })
    .from(users)
    .leftJoin(userSettings, eq(userSettings.userId, users.id))
    .where(eq(users.id, id))
    .get();
}
