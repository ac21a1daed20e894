import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { IdsSchema } from "../../src/records/schemas";
import { userStore } from "../../src/user-store/user-store";
import { type CallResult, call, expectBody, expectError, type TestUser } from "../helpers";
import { share } from "../sharing/fixtures";

/** Fixtures of the personal-record route tests. */

export { share };

/** Rows the user's UserStore holds across all its tables: 0 proves a refused write stored nothing. */
export const storedRows = (user: TestUser) => userStore(env, user.id).storedRowCount();

/** A valid activity session in the request shape (snake_case); `over` replaces top-level fields. */
export function activityItem(over: Record<string, unknown> = {}) {
  return {
    start_datetime: "2024-03-20T13:00:00Z",
    end_datetime: "2024-03-20T13:45:00Z",
    type: 12,
    info: { name: "Early afternoon cycle", origin: 1 },
    ...over,
  };
}

/** A valid intention session (type 0, one subjective input). */
export function intentionItem(over: Record<string, unknown> = {}) {
  return {
    start_datetime: "2024-03-20T08:00:00Z",
    end_datetime: "2024-03-20T08:10:00Z",
    type: 0,
    info: {
      name: "Morning calm",
      note: "before work",
      subjective_inputs: [{ datetime: "2024-03-20T08:10:00Z", type: 2, value: 4, tag: 2, note: "better" }],
      tool: "breathing",
    },
    ...over,
  };
}

export const checkinItem = (over: Record<string, unknown> = {}) => ({
  datetime: "2024-03-20T10:30:00+01:00",
  origin: "CROWN_PRESS",
  reactivity: "CENTERED",
  valence: "NEUTRAL",
  related_feelings: ["HAPPY", "MOTIVATED"],
  context: ["WORKING", "MEETING"],
  note: "before the review",
  ...over,
});

export const dayFeedbackItem = (over: Record<string, unknown> = {}) => ({
  datetime: "2024-03-20T22:10:00+01:00",
  type: 5,
  value: 4,
  ...over,
});

/** Asserts a 400 whose messages mention `mention`, and that the user still stores nothing. */
export async function expectRefused(result: CallResult, user: TestUser, mention: string, status = 400) {
  expectError(result, status);
  const messages = (result.body as { message: string[] }).message.join(" | ");
  expect(messages, result.text).toContain(mention);
  expect(await storedRows(user), `${mention}: nothing may be stored`).toBe(0);
}

/** POSTs a batch as `user` and answers the created ids. */
export async function create(user: TestUser, path: string, items: unknown[]): Promise<string[]> {
  return expectBody(await call("POST", path, { token: user.access, body: items }), 201, IdsSchema);
}

export const asViewer = (viewer: TestUser, owner: TestUser) => ({
  token: viewer.access,
  headers: { "shared-user": owner.id },
});

export const longNote = (n: number) => "x".repeat(n);
