import { and, eq, sql } from "drizzle-orm";
import { sha256Hex } from "../lib/encoding";
import { LIMITS } from "../lib/limits";
import { nowSeconds } from "../lib/time";
import type { Db } from "./index";
import { type CodePurpose, oneTimeCodes } from "./schema";

/** How long each kind of emailed code lives. A reset is urgent; a verification mail may be opened the next day. */
export const CODE_TTL_SECONDS: Record<CodePurpose, number> = {
  PASSWORD_RESET: LIMITS.resetCodeTtlSeconds,
  EMAIL_VERIFICATION: LIMITS.verificationCodeTtlSeconds,
};

/** A 6-digit code, uniformly drawn (rejection sampling avoids modulo bias). */
export function newCode(): string {
  const buf = new Uint32Array(1);
  const limit = Math.floor(0x1_0000_0000 / 1_000_000) * 1_000_000;
  do crypto.getRandomValues(buf);
  while ((buf[0] ?? 0) >= limit);
  return String((buf[0] ?? 0) % 1_000_000).padStart(6, "0");
}

// The purpose is hashed in, so a code mailed for one purpose can never be spent on the other.
const codeHash = (purpose: CodePurpose, userId: string, code: string) => sha256Hex(`${purpose}:${userId}:${code}`);

const codeOf = (purpose: CodePurpose, userId: string) =>
  and(eq(oneTimeCodes.userId, userId), eq(oneTimeCodes.purpose, purpose));

/** Stores a fresh code for the user, replacing any earlier one of the same purpose. */
export async function storeCode(db: Db, purpose: CodePurpose, userId: string, code: string): Promise<void> {
  const now = nowSeconds();
  const row = {
    codeHash: await codeHash(purpose, userId, code),
    expiresAt: now + CODE_TTL_SECONDS[purpose],
    attempts: 0,
    createdAt: now,
  };
  await db
    .insert(oneTimeCodes)
    .values({ userId, purpose, ...row })
    .onConflictDoUpdate({ target: [oneTimeCodes.userId, oneTimeCodes.purpose], set: row });
}

export type CodeCheck = "ok" | "no_code" | "expired" | "too_many_attempts" | "wrong_code";

/**
 * Checks a code. A wrong guess counts against the code (LIMITS.codeMaxAttempts allowed); a right one is deleted in
 * the same statement that checks it, so a code can be used only once even by two concurrent requests.
 */
export async function consumeCode(db: Db, purpose: CodePurpose, userId: string, code: string): Promise<CodeCheck> {
  const row = await db.select().from(oneTimeCodes).where(codeOf(purpose, userId)).get();
  if (!row) return "no_code";
  if (row.expiresAt < nowSeconds()) return "expired";
  if (row.attempts >= LIMITS.codeMaxAttempts) return "too_many_attempts";
  const hash = await codeHash(purpose, userId, code);
  if (hash !== row.codeHash) {
    await db
      .update(oneTimeCodes)
      .set({ attempts: sql`${oneTimeCodes.attempts} + 1` })
      .where(codeOf(purpose, userId));
    return "wrong_code";
  }
  const deleted = await db
    .delete(oneTimeCodes)
    .where(and(codeOf(purpose, userId), eq(oneTimeCodes.codeHash, hash)))
    .returning({ userId: oneTimeCodes.userId });
  return deleted.length === 1 ? "ok" : "no_code";
}
