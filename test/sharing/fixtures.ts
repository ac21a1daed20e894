import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { ShareRecordSchema } from "../../src/routes/sharing/schemas";
import { call, expectSchema, type TestUser } from "../helpers";

/** Fixtures of the sharing tests: shares made through the API, and the D1 state to assert that refusals changed nothing. */

export const SINCE = "2024-01-01T00:00:00.000Z";

/** `owner` invites `viewer`, who accepts: `viewer` may read `owner`'s data. Extra invite fields go in `invite`. */
export async function share(owner: TestUser, viewer: TestUser, invite: Record<string, unknown> = {}) {
  const sent = await call("POST", "/v1/sharing/invite", {
    token: owner.access,
    body: { email: viewer.email, shareSince: SINCE, ...invite },
  });
  expect(sent.status, sent.text).toBe(201);
  const accepted = await call("POST", "/v1/sharing/invite/accept", {
    token: viewer.access,
    body: { email: owner.email },
  });
  expect(accepted.status, accepted.text).toBe(201);
  return expectSchema(ShareRecordSchema, accepted.body);
}

async function all<T>(sql: string, ...binds: unknown[]): Promise<T[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results;
}

export interface InvitationState {
  kind: string;
  recipient_email: string;
  recipient_id: string | null;
  status: string;
  share_since: string;
  types: string | null;
  expires_at: string | null;
  sent_at: string;
  last_updated: string;
}

/** Every invitation a user sent, in a stable order: the full state a refusal must leave unchanged. */
export const invitationsFrom = (user: TestUser) =>
  all<InvitationState>(
    "SELECT kind, recipient_email, recipient_id, status, share_since, types, expires_at, sent_at, last_updated FROM sharing_invitations WHERE sender_id = ? ORDER BY created, id",
    user.id,
  );

export interface ShareState {
  owner_id: string;
  viewer_id: string;
  shared_since: string;
  types: string | null;
  expires_at: string | null;
  custom_name: string | null;
  icon_color: string | null;
  last_updated: string;
}

/** Every share row involving the user, either side. */
export const sharesOf = (user: TestUser) =>
  all<ShareState>(
    "SELECT owner_id, viewer_id, shared_since, types, expires_at, custom_name, icon_color, last_updated FROM shares WHERE owner_id = ? OR viewer_id = ? ORDER BY owner_id, viewer_id",
    user.id,
    user.id,
  );

export const groupsOf = (user: TestUser) =>
  all<{ id: string; name: string; last_updated: string }>(
    "SELECT id, name, last_updated FROM shared_groups WHERE user_id = ? ORDER BY id",
    user.id,
  );

export const membersOf = (user: TestUser) =>
  all<{ group_id: string; member_id: string }>(
    "SELECT group_id, member_id FROM shared_group_members WHERE user_id = ? ORDER BY group_id, member_id",
    user.id,
  );

/** Snapshot of everything sharing stores about these users: compare before and after a refusal. */
export async function sharingState(...users: TestUser[]) {
  return Promise.all(
    users.map(async (user) => ({
      invitations: await invitationsFrom(user),
      shares: await sharesOf(user),
      groups: await groupsOf(user),
      members: await membersOf(user),
    })),
  );
}

/** The sharing mails sent to an address (registration's verification mail is not one of them). */
export const mailsTo = (email: string) =>
  all<{ kind: string; subject: string; body: string }>(
    "SELECT kind, subject, body FROM mail_outbox WHERE to_address = ? AND kind LIKE 'SHARING_%' ORDER BY created_at, id",
    email.toLowerCase(),
  );

/** Makes a share expire without waiting: tests may move time only through the stored row. */
export async function expireShare(owner: TestUser, viewer: TestUser) {
  await env.DB.prepare("UPDATE shares SET expires_at = ? WHERE owner_id = ? AND viewer_id = ?")
    .bind("2000-01-01T00:00:00.000Z", owner.id, viewer.id)
    .run();
}
