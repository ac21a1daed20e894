import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { call, newUser, type TestUser } from "../helpers";

/**
 * The viewer states of the sharing security matrix (issue 4): every personal-data read is checked against each.
 * `since` is the share's sharedSince; the owner's data straddles it.
 */
export const SINCE = "2025-08-09T12:00:00.000Z";

export type ViewerState =
  | "owner"
  | "stranger"
  | "pending invitee"
  | "rejected invitee"
  | "accepted viewer"
  | "after revocation"
  | "after expiry";

export const STATES: ViewerState[] = [
  "owner",
  "stranger",
  "pending invitee",
  "rejected invitee",
  "accepted viewer",
  "after revocation",
  "after expiry",
];

/** Puts a fresh viewer of `owner` into `state`; answers who reads and with which headers. */
export async function reader(
  owner: TestUser,
  state: ViewerState,
): Promise<{ token: string; headers: Record<string, string> }> {
  if (state === "owner") return { token: owner.access, headers: {} };
  const viewer = await newUser("viewer");
  const headers = { "shared-user": owner.id };
  if (state === "stranger") return { token: viewer.access, headers };
  const invite = await call("POST", "/v1/sharing/invite", {
    token: owner.access,
    body: { email: viewer.email, shareSince: SINCE },
  });
  expect(invite.status, invite.text).toBe(201);
  if (state === "pending invitee") return { token: viewer.access, headers };
  if (state === "rejected invitee") {
    const rejected = await call("POST", "/v1/sharing/invite/reject", {
      token: viewer.access,
      body: { email: owner.email },
    });
    expect(rejected.status, rejected.text).toBe(201);
    return { token: viewer.access, headers };
  }
  const accepted = await call("POST", "/v1/sharing/invite/accept", {
    token: viewer.access,
    body: { email: owner.email },
  });
  expect(accepted.status, accepted.text).toBe(201);
  if (state === "after revocation") {
    const stopped = await call("DELETE", "/v1/sharing", { token: owner.access, body: { email: viewer.email } });
    expect(stopped.status, stopped.text).toBe(200);
  }
  if (state === "after expiry") {
    await env.DB.prepare("UPDATE shares SET expires_at = ? WHERE owner_id = ? AND viewer_id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), owner.id, viewer.id)
      .run();
  }
  return { token: viewer.access, headers };
}

/** What each state may see: everything (owner), from `since` on (accepted viewer), or a 403 (everyone else). */
export function expected(state: ViewerState): "all" | "since" | 403 {
  if (state === "owner") return "all";
  if (state === "accepted viewer") return "since";
  return 403;
}
