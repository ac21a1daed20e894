import { describe, expect, it } from "vitest";
import { SharedGroupSchema } from "../../src/routes/shared/schemas";
import { SINCE, share, sharingState } from "../fixtures/sharing";
import { call, expectBody, expectError, newUser, type TestUser, uniqueEmail } from "../helpers";

/**
 * The security table of the sharing and shared routes: every route without a token (401), and every route called by
 * a stranger (eve) naming other users' emails, ids and groups: refused with 404 and nothing changed, or, for lists
 * and creations, answered with eve's own (empty) data only.
 */

interface World {
  alice: TestUser;
  bob: TestUser;
  eve: TestUser;
  /** An email without an account that alice invited. */
  dave: string;
  groupId: string;
}

/** alice shares with bob (who groups her dashboard); alice invited dave and asks bob for his dashboard. */
async function world(): Promise<World> {
  const alice = await newUser("alice");
  const bob = await newUser("bob");
  const eve = await newUser("eve");
  const dave = uniqueEmail("dave");
  await share(alice, bob);
  expect(
    (await call("POST", "/v1/sharing/invite", { token: alice.access, body: { email: dave, shareSince: SINCE } }))
      .status,
  ).toBe(201);
  expect(
    (await call("POST", "/v1/sharing/request", { token: alice.access, body: { email: bob.email, shareSince: SINCE } }))
      .status,
  ).toBe(201);
  const group = expectBody(
    await call("POST", "/v1/shared/groups", { token: bob.access, body: { name: "Family" } }),
    201,
    SharedGroupSchema,
  );
  await call("PUT", `/v1/shared/groups/${group.id}/members`, { token: bob.access, body: { userId: alice.id } });
  // One shared read, so alice's access log (in her store) has an entry eve must not see.
  const read = await call("GET", "/v1/checkin?start_day=2024-02-01&end_day=2024-02-02", {
    token: bob.access,
    headers: { "shared-user": alice.id },
  });
  expect(read.status, read.text).toBe(200);
  return { alice, bob, eve, dave, groupId: group.id };
}

type Expect = 404 | "own-empty" | "own-create";

interface Case {
  method: string;
  path: (w: World) => string;
  body?: (w: World) => unknown;
  stranger: Expect;
}

const g = (w: World) => `/v1/shared/groups/${w.groupId}`;

const CASES: Case[] = [
  {
    method: "POST",
    path: () => "/v1/sharing/invite",
    body: (w) => ({ email: w.bob.email, shareSince: SINCE, fromId: w.alice.id }),
    stranger: "own-create",
  },
  { method: "DELETE", path: () => "/v1/sharing/invite", body: (w) => ({ email: w.dave }), stranger: 404 },
  { method: "PUT", path: () => "/v1/sharing/invite/resend", body: (w) => ({ email: w.dave }), stranger: 404 },
  { method: "POST", path: () => "/v1/sharing/invite/accept", body: (w) => ({ email: w.alice.email }), stranger: 404 },
  { method: "POST", path: () => "/v1/sharing/invite/reject", body: (w) => ({ email: w.alice.email }), stranger: 404 },
  { method: "GET", path: () => "/v1/sharing", stranger: "own-empty" },
  { method: "DELETE", path: () => "/v1/sharing", body: (w) => ({ email: w.bob.email }), stranger: 404 },
  { method: "PATCH", path: () => "/v1/sharing", body: (w) => ({ email: w.bob.email, types: null }), stranger: 404 },
  {
    method: "POST",
    path: () => "/v1/sharing/shared-since",
    body: (w) => ({ email: w.bob.email, shareSince: SINCE }),
    stranger: 404,
  },
  { method: "GET", path: () => "/v1/sharing/invites/received", stranger: "own-empty" },
  { method: "GET", path: () => "/v1/sharing/invites/sent", stranger: "own-empty" },
  { method: "GET", path: () => "/v1/sharing/requests/sent", stranger: "own-empty" },
  { method: "GET", path: () => "/v1/sharing/requests/received", stranger: "own-empty" },
  {
    method: "POST",
    path: () => "/v1/sharing/request",
    body: (w) => ({ email: w.alice.email, shareSince: SINCE }),
    stranger: "own-create",
  },
  { method: "DELETE", path: () => "/v1/sharing/request", body: (w) => ({ email: w.bob.email }), stranger: 404 },
  { method: "POST", path: () => "/v1/sharing/request/accept", body: (w) => ({ email: w.alice.email }), stranger: 404 },
  { method: "POST", path: () => "/v1/sharing/request/reject", body: (w) => ({ email: w.alice.email }), stranger: 404 },
  { method: "GET", path: () => "/v1/sharing/access-log", stranger: "own-empty" },
  { method: "GET", path: () => "/v1/shared", stranger: "own-empty" },
  { method: "DELETE", path: () => "/v1/shared", body: (w) => ({ userId: w.alice.id }), stranger: 404 },
  {
    method: "POST",
    path: () => "/v1/shared/custom",
    body: (w) => ({ userId: w.alice.id, customName: "Mine", iconColor: "#000" }),
    stranger: 404,
  },
  { method: "GET", path: () => "/v1/shared/groups", stranger: "own-empty" },
  { method: "POST", path: () => "/v1/shared/groups", body: () => ({ name: "Eve's" }), stranger: "own-create" },
  { method: "PATCH", path: g, body: () => ({ name: "Taken" }), stranger: 404 },
  { method: "DELETE", path: g, stranger: 404 },
  { method: "PUT", path: (w) => `${g(w)}/members`, body: (w) => ({ userId: w.alice.id }), stranger: 404 },
  { method: "DELETE", path: (w) => `${g(w)}/members`, body: (w) => ({ userId: w.alice.id }), stranger: 404 },
];

const label = (c: Case) => `${c.method} ${c.path({ groupId: "{groupId}" } as World)}`;

/** What eve's own lists must look like: empty arrays, or an empty access-log page. */
const EMPTY: Record<string, unknown> = { "/v1/sharing/access-log": { entries: [], nextCursor: null } };

describe("sharing and shared routes: security table", () => {
  it("covers every route in the OpenAPI document, each with bearer security", async () => {
    const doc = (await call("GET", "/openapi.json")).body as {
      paths: Record<string, Record<string, { security?: unknown; tags?: string[] }>>;
    };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/v1/sharing") || path.startsWith("/v1/shared"))
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
      );
    expect(documented.map((d) => d.key).toSorted()).toEqual(CASES.map(label).toSorted());
    for (const { key, op } of documented) {
      expect(op.security, key).toEqual([{ bearer: [] }]);
      expect(["sharing", "shared"], key).toContain(op.tags?.[0]);
    }
  });

  // One world per test: the refusals below change nothing, and that is asserted after every call.
  it("every route without a token or with a bad one → 401, nothing changed", async () => {
    const w = await world();
    const before = await sharingState(w.alice, w.bob, w.eve);
    for (const c of CASES) {
      const body = c.body?.(w);
      expectError(await call(c.method, c.path(w), { body }), 401, "UNAUTHORIZED");
      expectError(await call(c.method, c.path(w), { body, token: "not.a.jwt" }), 401, "UNAUTHORIZED");
      expect(await sharingState(w.alice, w.bob, w.eve), label(c)).toEqual(before);
    }
  });

  it("every route called by a stranger on others' emails, ids and groups → 404 or the stranger's own data only", async () => {
    const w = await world();
    const before = await sharingState(w.alice, w.bob);
    const order: Expect[] = [404, "own-empty", "own-create"];
    const cases = CASES.toSorted((a, b) => order.indexOf(a.stranger) - order.indexOf(b.stranger));
    for (const c of cases) {
      const eveBefore = await sharingState(w.eve);
      const res = await call(c.method, c.path(w), { token: w.eve.access, body: c.body?.(w) });
      if (c.stranger === 404) {
        expectError(res, 404, "NOT_FOUND");
        expect(await sharingState(w.eve), label(c)).toEqual(eveBefore);
      } else if (c.stranger === "own-empty") {
        expect(res.status, res.text).toBe(200);
        expect(res.body, res.text).toEqual(EMPTY[c.path(w)] ?? []);
      } else {
        // Creations act for the token's user only, whatever the body names.
        expect(res.status, res.text).toBe(201);
        const [after] = await sharingState(w.eve);
        const [prior] = eveBefore;
        const added =
          (after?.invitations.length ?? 0) -
          (prior?.invitations.length ?? 0) +
          ((after?.groups.length ?? 0) - (prior?.groups.length ?? 0));
        expect(added, label(c)).toBe(1);
      }
      expect(await sharingState(w.alice, w.bob), label(c)).toEqual(before);
    }
  });
});
