import { hashPassword } from "../auth/passwords";
import { DEV_ADMIN, DEV_DEMO, isLocal } from "../config";
import { getDb } from "../db";
import { findUserByEmail, insertUser } from "../db/users";
import { newUserId } from "../lib/ids";
import { nowIso } from "../lib/time";

/**
 * Local development only: makes sure the documented admin and demo accounts exist in local state (`npm run dev` then
 * fills the demo account with measurements through the API). Runs once per isolate; never does anything when
 * NOWATCH_ENV is not "local".
 */
let ready: Promise<void> | null = null;

export function ensureDevAccounts(env: Env): Promise<void> {
  if (!isLocal(env)) return Promise.resolve();
  ready ??= createDevAccounts(env).catch((error) => {
    ready = null;
    throw error;
  });
  return ready;
}

async function createDevAccounts(env: Env): Promise<void> {
  const db = getDb(env.DB);
  const accounts = [
    { ...DEV_ADMIN, firstName: "Local", lastName: "Admin", isAdmin: true, employee: true, isEarlyAccess: true },
    { ...DEV_DEMO, firstName: "Demo", lastName: "User", isAdmin: false, employee: false, isEarlyAccess: true },
  ];
  for (const { email, password, ...profile } of accounts) {
    if (await findUserByEmail(db, email)) continue;
    const now = nowIso();
    await insertUser(db, {
      id: newUserId(),
      email,
      passwordHash: await hashPassword(password),
      ...profile,
      tocAcceptedAt: now,
      privacyPolicyAcceptedAt: now,
      // The documented local accounts need no mailbox: their addresses count as verified.
      emailVerifiedAt: now,
    });
  }
}
