import { eq, sql } from "drizzle-orm";
import type { Db } from "./index";
import { type NewUser, type User, users } from "./schema";

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  return db.select().from(users).where(eq(users.id, id)).get();
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

export async function updateUser(db: Db, id: string, patch: Partial<NewUser>): Promise<User | undefined> {
  return db
    .update(users)
    .set({ ...patch, updatedAt: new Date().toISOString() })
    .where(eq(users.id, id))
    .returning()
    .get();
}

/** Moves the token version: every access token issued before stops working at once. */
export function bumpTokenVersion(db: Db, id: string) {
  return db
    .update(users)
    .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
    .where(eq(users.id, id));
}
