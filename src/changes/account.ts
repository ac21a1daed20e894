import { isStoreDeleted } from "../user-store/deleted";
import { type AccountChange, userStore } from "../user-store/user-store";

/**
 * Changes to what lives in D1 (settings, profile, the sharing graph) enter each user's change feed right after the
 * D1 write, through one RPC per user touched (in parallel). D1 stays the truth: if the feed write fails the request
 * still succeeds, and the failure is logged (docs/changes.md "What is recorded").
 */
export async function recordAccountChanges(
  env: Pick<Env, "USER_STORE">,
  entries: readonly { userId: string; change: AccountChange }[],
): Promise<void> {
  await Promise.all(
    entries.map(async ({ userId, change }) => {
      try {
        await userStore(env, userId).recordAccountChanges([change]);
      } catch (error) {
        if (isStoreDeleted(error)) return; // that account is gone: it has no feed to tell
        console.error(
          JSON.stringify({
            event: "change_feed_write_failed",
            kind: change.kind,
            message: error instanceof Error ? error.message : String(error),
          }),
        );
      }
    }),
  );
}

/**
 * A change between two users' sharing (an invite, a request, a share): each one's feed gets a `share` change naming
 * the other. `counterpartId` is null for an invite to an email without an account; then only `userId` is told, and
 * the change names the invitation.
 */
export function shareChanged(
  env: Pick<Env, "USER_STORE">,
  op: "upsert" | "delete",
  userId: string,
  counterpart: { id: string } | { invitationId: string },
): Promise<void> {
  if ("invitationId" in counterpart) {
    const id = counterpart.invitationId;
    return recordAccountChanges(env, [{ userId, change: { kind: "share", op, id, data: { invitationId: id } } }]);
  }
  const other = counterpart.id;
  return recordAccountChanges(env, [
    { userId, change: { kind: "share", op, id: other, data: { userId: other } } },
    { userId: other, change: { kind: "share", op, id: userId, data: { userId } } },
  ]);
}
