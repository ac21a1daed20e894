import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DEFAULT_ICON_COLOR, SharedDashboardSchema, SharedGroupSchema } from "../../../src/routes/shared/schemas";
import { expireShare, share, sharesOf, sharingState } from "../../fixtures/sharing";
import { call, expectBody, expectError, expectSchema, newUser, nth, read, type TestUser } from "../../helpers";

const newGroup = async (user: TestUser, name = "Family") => {
  const res = await call("POST", "/v1/shared/groups", { token: user.access, body: { name } });
  expect(res.status, res.text).toBe(201);
  return expectSchema(SharedGroupSchema, res.body);
};

const dashboards = (user: TestUser) => read("/v1/shared", { token: user.access }, z.array(SharedDashboardSchema));
const groups = (user: TestUser) => read("/v1/shared/groups", { token: user.access }, z.array(SharedGroupSchema));

const OTHER_UUID = "0b5e1f0c-6a0e-4a53-9d0c-4c0b6f1f9c11";

describe("GET /v1/shared (contract §10 SharedDashboard)", () => {
  it("shows defaults until personalised, the sharer's lastSyncAt and the caller's group ids", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const first = await call("GET", "/v1/shared", { token: bob.access });
    expect(first.status, first.text).toBe(200);
    const [dashboard] = expectSchema(z.array(SharedDashboardSchema), first.body);
    expect(dashboard).toMatchObject({
      fromId: alice.id,
      fromEmail: alice.email,
      toId: bob.id,
      toEmail: bob.email,
      customName: "Sponge Bob",
      iconColor: DEFAULT_ICON_COLOR,
      customProfilePicture: "",
      groupIds: [],
      lastSyncAt: null,
    });

    await env.DB.prepare("UPDATE users SET last_sync_at = ? WHERE id = ?")
      .bind("2024-05-01T08:00:00.000Z", alice.id)
      .run();
    const group = await newGroup(bob);
    await call("PUT", `/v1/shared/groups/${group.id}/members`, { token: bob.access, body: { userId: alice.id } });
    const after = nth(await dashboards(bob));
    expect(after).toMatchObject({ lastSyncAt: "2024-05-01T08:00:00.000Z", groupIds: [group.id] });
    // The owner's own list is unaffected by the viewer's view.
    expect((await call("GET", "/v1/shared", { token: alice.access })).body).toEqual([]);
  });
});

describe("POST /v1/shared/custom", () => {
  it("personalises the dashboard for the caller only (200)", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const carol = await newUser("carol");
    await share(alice, bob);
    await share(alice, carol);
    const res = await call("POST", "/v1/shared/custom", {
      token: bob.access,
      body: { userId: alice.id, customName: "  Mum ", iconColor: "#ff8800" },
    });
    expect(res.status, res.text).toBe(200);
    expect(expectSchema(SharedDashboardSchema, res.body)).toMatchObject({
      fromId: alice.id,
      customName: "  Mum ", // stored exactly as sent: free text is never trimmed (docs/auth.md "Free text")
      iconColor: "#ff8800",
    });
    const carolView = nth(await dashboards(carol));
    expect(carolView).toMatchObject({ customName: "Sponge Bob", iconColor: DEFAULT_ICON_COLOR });
  });

  it("refuses bad input (400) and users who share nothing with the caller (404), changing nothing", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const carol = await newUser("carol");
    await share(alice, bob);
    const before = await sharingState(alice, bob, carol);
    for (const body of [
      { userId: alice.id, customName: "", iconColor: "#fff" },
      { userId: alice.id, customName: "x".repeat(151), iconColor: "#fff" },
      { userId: alice.id, customName: "Mum", iconColor: "red" },
      { userId: "alice", customName: "Mum", iconColor: "#fff" },
      { customName: "Mum", iconColor: "#fff" },
    ]) {
      expectError(await call("POST", "/v1/shared/custom", { token: bob.access, body }), 400, "VALIDATION_FAILED");
    }
    // carol sees nothing of alice; alice cannot personalise her own share as if she were the viewer.
    expectError(
      await call("POST", "/v1/shared/custom", {
        token: carol.access,
        body: { userId: alice.id, customName: "X", iconColor: "#fff" },
      }),
      404,
    );
    expectError(
      await call("POST", "/v1/shared/custom", {
        token: alice.access,
        body: { userId: bob.id, customName: "X", iconColor: "#fff" },
      }),
      404,
    );
    expect(await sharingState(alice, bob, carol)).toEqual(before);
  });
});

describe("DELETE /v1/shared", () => {
  it("ends the caller's access at once and takes the dashboard out of their groups; the owner can invite again", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const group = await newGroup(bob);
    await call("PUT", `/v1/shared/groups/${group.id}/members`, { token: bob.access, body: { userId: alice.id } });
    const res = await call("DELETE", "/v1/shared", { token: bob.access, body: { userId: alice.id } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ status: "success" });
    expect(await sharesOf(bob)).toEqual([]);
    expect((await call("GET", "/v1/sharing", { token: alice.access })).body).toEqual([]);
    expect(nth(await groups(bob)).members).toEqual([]);
    expect(await share(alice, bob)).toMatchObject({ toId: bob.id });
  });

  it("refuses a userId that is not a user id (400) and one that shares nothing with the caller (404)", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const before = await sharingState(alice, bob);
    expectError(
      await call("DELETE", "/v1/shared", { token: bob.access, body: { userId: "../alice" } }),
      400,
      "VALIDATION_FAILED",
    );
    // The owner cannot use the viewer's operation on their own share (they stop it with DELETE /v1/sharing).
    expectError(
      await call("DELETE", "/v1/shared", { token: alice.access, body: { userId: bob.id } }),
      404,
      "NOT_FOUND",
    );
    expect(await sharingState(alice, bob)).toEqual(before);
  });
});

describe("groups (contract §10)", () => {
  it("creates, lists, renames, fills, empties and deletes a group", async () => {
    const alice = await newUser("alice");
    const carol = await newUser("carol");
    const bob = await newUser("bob");
    await share(alice, bob);
    await share(carol, bob);
    const group = await newGroup(bob, "  Family  ");
    expect(group).toMatchObject({ name: "  Family  ", members: [] }); // as sent: never trimmed

    const renamed = await call("PATCH", `/v1/shared/groups/${group.id}`, {
      token: bob.access,
      body: { name: "Close family" },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(expectSchema(SharedGroupSchema, renamed.body).name).toBe("Close family");

    for (const member of [alice, carol, alice]) {
      const added = await call("PUT", `/v1/shared/groups/${group.id}/members`, {
        token: bob.access,
        body: { userId: member.id },
      });
      expect(added.status, added.text).toBe(200);
    }
    const listed = await call("GET", "/v1/shared/groups", { token: bob.access });
    const [only] = expectSchema(z.array(SharedGroupSchema), listed.body);
    expect(only?.members.toSorted()).toEqual([alice.id, carol.id].toSorted());

    const removed = await call("DELETE", `/v1/shared/groups/${group.id}/members`, {
      token: bob.access,
      body: { userId: alice.id },
    });
    expect(expectBody(removed, 200, SharedGroupSchema).members).toEqual([carol.id]);

    const deleted = await call("DELETE", `/v1/shared/groups/${group.id}`, { token: bob.access });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body).toEqual({ status: "success" });
    expect((await call("GET", "/v1/shared/groups", { token: bob.access })).body).toEqual([]);
    // The shares themselves are untouched.
    expect((await call("GET", "/v1/shared", { token: bob.access })).body).toHaveLength(2);
  });

  it("leaves out a member whose share expired", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const group = await newGroup(bob);
    await call("PUT", `/v1/shared/groups/${group.id}/members`, { token: bob.access, body: { userId: alice.id } });
    await expireShare(alice, bob);
    expect(nth(await groups(bob)).members).toEqual([]);
    // Adding the expired share again is refused like any share that does not exist.
    expectError(
      await call("PUT", `/v1/shared/groups/${group.id}/members`, { token: bob.access, body: { userId: alice.id } }),
      404,
    );
  });

  it("refuses bad names (400), bad ids (400) and unknown or someone else's groups (404), changing nothing", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const eve = await newUser("eve");
    await share(alice, bob);
    await share(alice, eve);
    const group = await newGroup(bob);
    const before = await sharingState(alice, bob, eve);

    for (const body of [{ name: "" }, { name: "   " }, { name: "x".repeat(101) }, {}, { name: 7 }]) {
      expectError(await call("POST", "/v1/shared/groups", { token: bob.access, body }), 400, "VALIDATION_FAILED");
      expectError(
        await call("PATCH", `/v1/shared/groups/${group.id}`, { token: bob.access, body }),
        400,
        "VALIDATION_FAILED",
      );
    }
    expectError(await call("PATCH", "/v1/shared/groups/not-a-uuid", { token: bob.access, body: { name: "x" } }), 400);
    expectError(await call("DELETE", "/v1/shared/groups/not-a-uuid", { token: bob.access }), 400);
    for (const id of [OTHER_UUID, group.id]) {
      // eve: an unknown group, and bob's group, look the same.
      expectError(
        await call("PATCH", `/v1/shared/groups/${id}`, { token: eve.access, body: { name: "Mine" } }),
        404,
        "NOT_FOUND",
      );
      expectError(await call("DELETE", `/v1/shared/groups/${id}`, { token: eve.access }), 404, "NOT_FOUND");
      expectError(
        await call("PUT", `/v1/shared/groups/${id}/members`, { token: eve.access, body: { userId: alice.id } }),
        404,
      );
      expectError(
        await call("DELETE", `/v1/shared/groups/${id}/members`, { token: eve.access, body: { userId: alice.id } }),
        404,
      );
    }
    // bob's own group: a user who shares nothing with him, a malformed id, a member not in the group.
    expectError(
      await call("PUT", `/v1/shared/groups/${group.id}/members`, { token: bob.access, body: { userId: eve.id } }),
      404,
    );
    expectError(
      await call("PUT", `/v1/shared/groups/${group.id}/members`, { token: bob.access, body: { userId: "x" } }),
      400,
    );
    expectError(
      await call("DELETE", `/v1/shared/groups/${group.id}/members`, { token: bob.access, body: { userId: alice.id } }),
      404,
    );
    expect(await sharingState(alice, bob, eve)).toEqual(before);
  });
});
