import { eq, sql } from "drizzle-orm";
import { sha256Hex } from "../lib/encoding";
import { LIMITS } from "../lib/limits";
import { nowSeconds } from "../lib/time";
import type { Db } from "./index";
import { passwordResets } from "./schema";

/** A 6-digit code, uniformly drawn (rejection sampling avoids modulo bias). */
export function newResetCode(): string {
  const buf = new Uint32Array(1);
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000;
  do crypto.getRandomValues(buf);
  while ((buf[0] ?? 0) >= limit);
  return String((buf[0] ?? 0) % 1_000_000).padStart(6, "0");
}

const codeHash = (userId: string, code: string) => sha256Hex(`${userId}:${code}`);

/** Stores a fresh code for the user, replacing any earlier one. */
export async function storeResetCode(db: Db, userId: string, code: string): Promise<void> {
  const now = nowSeconds();
  const row = { codeHash: await codeHash(userId, code), expiresAt: now + LIMITS.resetCodeTtlSeconds, attempts: 0 };
  await db
    .insert(passwordResets)
    .values({ userId, createdAt: now, ...row })
    .onConflictDoUpdate({ target: passwordResets.userId, set: { ...row, createdAt: now } });
}

export type ResetCheck = "ok" | "no_code" | "expired" | "too_many_attempts" | "wrong_code";

/**
 * Checks a code. A wrong guess counts against the code (5 allowed); a right one is deleted in the same statement
 * that reads it, so a code can be used only once even by two concurrent requests.
 */
export async function consumeResetCode(db: Db, userId: string, code: string): Promise<ResetCheck> {
  const row = await db.select().from(passwordResets).where(eq(passwordResets.userId, userId)).get();
  if (!row) return "no_code";
  if (row.expiresAt < nowSeconds()) return "expired";
  if (row.attempts >= LIMITS.resetCodeMaxAttempts) return "too_many_attempts";
  const hash = await codeHash(userId, code);
  if (hash !== row.codeHash) {
    await db
      .update(passwordResets)
      .set({ attempts: sql`${passwordResets.attempts} + 1` })
      .where(eq(passwordResets.userId, userId));
    return "wrong_code";
  }
  const deleted = await db
    .delete(passwordResets)
    .where(sql`${passwordResets.userId} = ${userId} AND ${passwordResets.codeHash} = ${hash}`)
    .returning({ userId: passwordResets.userId });
  return deleted.length === 1 ? "ok" : "no_code";
}
