import { hashPassword } from "../auth/passwords";
import { DEV_ADMIN, isLocal } from "../config";
import { getDb } from "../db";
import { findUserByEmail, insertUser } from "../db/users";
import { newUserId } from "../lib/ids";
import { nowIso } from "../lib/time";

/**
 * Local development only: makes sure the documented admin account exists in local state. Runs once per isolate
 * (a cheap lookup after that is skipped); never does anything when NOWATCH_ENV is not "local".
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
  if (await findUserByEmail(db, DEV_ADMIN.email)) return;
  const now = nowIso();
  await insertUser(db, {
    id: newUserId(),
    email: DEV_ADMIN.email,
    passwordHash: await hashPassword(DEV_ADMIN.password),
    firstName: "Local",
    lastName: "Admin",
    isAdmin: true,
    employee: true,
    isEarlyAccess: true,
    tocAcceptedAt: now,
    privacyPolicyAcceptedAt: now,
  });
}
