import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SharedDashboardSchema, SharedGroupSchema } from "../../../src/routes/shared/schemas";
import { ShareRecordSchema } from "../../../src/routes/sharing/schemas";
import { expireShare, SINCE, share, sharesOf, sharingState } from "../../fixtures/sharing";
import { call, expectBody, expectError, expectSchema, newUser, nth, read } from "../../helpers";

const count = async (sql: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("GET /v1/sharing (contract §9 #6)", () => {
  it("lists only the caller's active outgoing shares", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const carol = await newUser("carol");
    await share(alice, bob);
    await share(alice, carol);
    await share(bob, alice);
    const res = await call("GET", "/v1/sharing", { token: alice.access });
    expect(res.status, res.text).toBe(200);
    const records = expectSchema(z.array(ShareRecordSchema), res.body);
    expect(records.map((r) => r.toId).sort()).toEqual([bob.id, carol.id].sort());
    expect(records.every((r) => r.fromId === alice.id)).toBe(true);
  });

  it("omits an expired share, on both sides", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob, { expiresAt: "2099-01-01T00:00:00Z" });
    await expireShare(alice, bob);
    expect((await call("GET", "/v1/sharing", { token: alice.access })).body).toEqual([]);
    expect((await call("GET", "/v1/shared", { token: bob.access })).body).toEqual([]);
  });
});

describe("DELETE /v1/sharing (contract §9 #7)", () => {
  it("revokes at once; a new invite is possible afterwards", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const res = await call("DELETE", "/v1/sharing", { token: alice.access, body: { email: bob.email } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ status: "success" });
    expect(await sharesOf(alice)).toEqual([]);
    expect((await call("GET", "/v1/shared", { token: bob.access })).body).toEqual([]);
    expectError(
      await call("DELETE", "/v1/sharing", { token: alice.access, body: { email: bob.email } }),
      404,
      "NOT_FOUND",
    );

    const again = await share(alice, bob);
    expect(again).toMatchObject({ fromId: alice.id, toId: bob.id });
  });

  it("answers 404 and changes nothing for a viewer the caller does not share with, or an expired share", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const carol = await newUser("carol");
    await share(carol, bob);
    const before = await sharingState(alice, bob, carol);
    // alice shares nothing with bob; carol's share to bob is not hers to stop.
    expectError(
      await call("DELETE", "/v1/sharing", { token: alice.access, body: { email: bob.email } }),
      404,
      "NOT_FOUND",
    );
    expectError(
      await call("DELETE", "/v1/sharing", { token: alice.access, body: { email: "nobody@example.com" } }),
      404,
    );
    expect(await sharingState(alice, bob, carol)).toEqual(before);

    await expireShare(carol, bob);
    expectError(
      await call("DELETE", "/v1/sharing", { token: carol.access, body: { email: bob.email } }),
      404,
      "NOT_FOUND",
    );
  });
});

describe("POST /v1/sharing/shared-since (contract §9 #8)", () => {
  it("moves sharedSince, and without shareSince shares all history", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const moved = await call("POST", "/v1/sharing/shared-since", {
      token: alice.access,
      body: { email: bob.email, shareSince: "2024-06-01T12:00:00+02:00" },
    });
    expect(moved.status, moved.text).toBe(201);
    expect(expectSchema(ShareRecordSchema, moved.body).sharedSince).toBe("2024-06-01T10:00:00.000Z");
    expect(nth(await read("/v1/shared", { token: bob.access }, z.array(SharedDashboardSchema))).sharedSince).toBe(
      "2024-06-01T10:00:00.000Z",
    );

    const all = await call("POST", "/v1/sharing/shared-since", { token: alice.access, body: { email: bob.email } });
    expect(expectBody(all, 201, ShareRecordSchema).sharedSince).toBe("1970-01-01T00:00:00.000Z");
  });

  it("refuses bad input (400) and viewers the caller does not share with (404), changing nothing", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const carol = await newUser("carol");
    await share(alice, bob);
    const before = await sharingState(alice, bob, carol);
    for (const body of [
      { email: bob.email, shareSince: "2024-13-01T00:00:00Z" },
      { email: bob.email, shareSince: "2024-06-01" },
      { email: "bob" },
      { shareSince: SINCE },
    ]) {
      expectError(
        await call("POST", "/v1/sharing/shared-since", { token: alice.access, body }),
        400,
        "VALIDATION_FAILED",
      );
    }
    expectError(
      await call("POST", "/v1/sharing/shared-since", {
        token: alice.access,
        body: { email: carol.email, shareSince: SINCE },
      }),
      404,
    );
    // The viewer cannot move the owner's date.
    expectError(
      await call("POST", "/v1/sharing/shared-since", {
        token: bob.access,
        body: { email: alice.email, shareSince: SINCE },
      }),
      404,
    );
    expect(await sharingState(alice, bob, carol)).toEqual(before);
  });
});

describe("PATCH /v1/sharing (design: limits)", () => {
  it("limits types and sets an expiry, then clears both", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const limited = await call("PATCH", "/v1/sharing", {
      token: alice.access,
      body: { email: bob.email, types: ["TEMPERATURE"], expiresAt: "2099-01-01T00:00:00Z" },
    });
    expect(limited.status, limited.text).toBe(200);
    expect(expectSchema(ShareRecordSchema, limited.body)).toMatchObject({
      types: ["TEMPERATURE"],
      expiresAt: "2099-01-01T00:00:00.000Z",
    });
    const onlyTypes = await call("PATCH", "/v1/sharing", {
      token: alice.access,
      body: { email: bob.email, types: null },
    });
    expect(onlyTypes.body).toMatchObject({ types: null, expiresAt: "2099-01-01T00:00:00.000Z" });
    const cleared = await call("PATCH", "/v1/sharing", {
      token: alice.access,
      body: { email: bob.email, expiresAt: null },
    });
    expect(cleared.body).toMatchObject({ types: null, expiresAt: null });
  });

  it("refuses bad input (400) and shares the caller does not own (404), changing nothing", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const before = await sharingState(alice, bob);
    for (const body of [
      { email: bob.email },
      { email: bob.email, types: ["HEART_RATE", "NOPE"] },
      { email: bob.email, expiresAt: "2000-01-01T00:00:00Z" },
      { email: "x".repeat(300), types: null },
    ]) {
      expectError(await call("PATCH", "/v1/sharing", { token: alice.access, body }), 400, "VALIDATION_FAILED");
    }
    expectError(
      await call("PATCH", "/v1/sharing", { token: bob.access, body: { email: alice.email, types: null } }),
      404,
    );
    expect(await sharingState(alice, bob)).toEqual(before);
  });
});

describe("account deletion removes sharing rows (foreign keys ON DELETE CASCADE)", () => {
  it("deleting the owner removes shares, invitations and group memberships", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    await call("POST", "/v1/sharing/request", {
      token: alice.access,
      body: { email: "later@example.com", shareSince: SINCE },
    });
    const group = expectBody(
      await call("POST", "/v1/shared/groups", { token: bob.access, body: { name: "Family" } }),
      201,
      SharedGroupSchema,
    );
    await call("PUT", `/v1/shared/groups/${group.id}/members`, { token: bob.access, body: { userId: alice.id } });
    expect(await count("SELECT COUNT(*) AS n FROM shared_group_members WHERE member_id = ?", alice.id)).toBe(1);

    expect((await call("DELETE", "/v1/user", { token: alice.access })).status).toBe(200);
    for (const [table, column] of [
      ["shares", "owner_id"],
      ["shares", "viewer_id"],
      ["sharing_invitations", "sender_id"],
      ["sharing_invitations", "recipient_id"],
      ["shared_group_members", "member_id"],
    ]) {
      expect(
        await count(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`, alice.id),
        `${table}.${column}`,
      ).toBe(0);
    }
    // Bob keeps his (now empty) group; his own account is untouched.
    const groups = await call("GET", "/v1/shared/groups", { token: bob.access });
    expect(groups.body).toMatchObject([{ id: group.id, members: [] }]);
  });

  it("deleting the viewer removes their shares, received invitations and groups", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    await call("POST", "/v1/shared/groups", { token: bob.access, body: { name: "Family" } });
    expect((await call("DELETE", "/v1/user", { token: bob.access })).status).toBe(200);
    expect(await count("SELECT COUNT(*) AS n FROM shares WHERE viewer_id = ?", bob.id)).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM sharing_invitations WHERE recipient_id = ?", bob.id)).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM shared_groups WHERE user_id = ?", bob.id)).toBe(0);
    expect((await call("GET", "/v1/sharing", { token: alice.access })).body).toEqual([]);
  });
});
