import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SharedDashboardSchema } from "../../../src/routes/shared/schemas";
import { ShareRecordSchema, SharingInviteSchema } from "../../../src/routes/sharing/schemas";
import { invitationsFrom, mailsTo, SINCE, share, sharesOf, sharingState } from "../../fixtures/sharing";
import {
  call,
  expectError,
  expectSchema,
  expectTokens,
  newUser,
  nth,
  profileOf,
  read,
  registration,
  uniqueEmail,
  verifyEmail,
} from "../../helpers";

const invite = (token: string, body: unknown) => call("POST", "/v1/sharing/invite", { token, body });

describe("POST /v1/sharing/invite → accept (contract §9 #1, #4)", () => {
  it("mails the invitee, lists it both ways, and on accept the sharer's dashboard appears in GET /v1/shared", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");

    const sent = await invite(alice.access, { email: bob.email.toUpperCase(), shareSince: "2024-01-01T00:00:00Z" });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body).toEqual({ status: "success" });

    const [mail, ...more] = await mailsTo(bob.email);
    expect(more).toHaveLength(0);
    expect(mail?.kind).toBe("SHARING_INVITE");
    expect(mail?.body).toContain("POST /v1/sharing/invite/accept");
    expect(mail?.body).toContain(alice.email);
    expect(mail?.body).not.toContain("no NOWATCH account");

    const received = await call("GET", "/v1/sharing/invites/received", { token: bob.access });
    expect(received.status, received.text).toBe(200);
    const [inv] = expectSchema(z.array(SharingInviteSchema), received.body);
    expect(inv).toMatchObject({
      fromEmail: alice.email,
      invitedEmail: bob.email,
      status: "PENDING",
      shareSince: SINCE,
    });
    const sentList = await call("GET", "/v1/sharing/invites/sent", { token: alice.access });
    expect(expectSchema(z.array(SharingInviteSchema), sentList.body)).toEqual([inv]);

    const accepted = await call("POST", "/v1/sharing/invite/accept", {
      token: bob.access,
      body: { email: alice.email },
    });
    expect(accepted.status, accepted.text).toBe(201);
    const record = expectSchema(ShareRecordSchema, accepted.body);
    expect(record).toMatchObject({
      fromId: alice.id,
      fromEmail: alice.email,
      toId: bob.id,
      toEmail: bob.email,
      sharedSince: SINCE,
      types: null,
      expiresAt: null,
    });

    const shared = await call("GET", "/v1/shared", { token: bob.access });
    const [dashboard] = expectSchema(z.array(SharedDashboardSchema), shared.body);
    expect(dashboard).toMatchObject({ fromId: alice.id, toId: bob.id, sharedSince: SINCE, groupIds: [] });
    const sharing = await call("GET", "/v1/sharing", { token: alice.access });
    expect(expectSchema(z.array(ShareRecordSchema), sharing.body)).toEqual([record]);
    const after = await read("/v1/sharing/invites/received", { token: bob.access }, z.array(SharingInviteSchema));
    expect(nth(after).status).toBe("ACCEPTED");
  });

  it("keeps an invite to an email without an account pending and attaches it when that email registers", async () => {
    const alice = await newUser("alice");
    const email = uniqueEmail("newcomer");
    expect((await invite(alice.access, { email, shareSince: SINCE })).status).toBe(201);
    expect((await mailsTo(email))[0]?.body).toContain("register with this address");
    expect((await invitationsFrom(alice))[0]).toMatchObject({ recipient_id: null, status: "PENDING" });

    const reg = registration(email.toUpperCase());
    expect((await call("POST", "/v1/auth/register", { body: reg })).status).toBe(201);
    const login = await call("POST", "/v2/auth/login", { body: { email, password: reg.password } });
    const token = expectTokens(login).access;
    const me = await profileOf(token);
    expect((await invitationsFrom(alice))[0]?.recipient_id).toBe(me.id);
    // Hidden until the newcomer proves the address (security finding 1).
    expect((await call("GET", "/v1/sharing/invites/received", { token })).body).toEqual([]);
    await verifyEmail(email);

    const received = await call("GET", "/v1/sharing/invites/received", { token });
    expect(received.body).toHaveLength(1);
    const accepted = await call("POST", "/v1/sharing/invite/accept", { token, body: { email: alice.email } });
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.body).toMatchObject({ fromId: alice.id, toId: me.id });
  });

  it("stores types and expiresAt from the invite on the share", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const record = await share(alice, bob, {
      types: ["HEART_RATE", "SESSIONS", "HEART_RATE"],
      expiresAt: "2099-01-01T00:00:00Z",
    });
    expect(record.types).toEqual(["HEART_RATE", "SESSIONS"]);
    expect(record.expiresAt).toBe("2099-01-01T00:00:00.000Z");
  });
});

describe("invite rules: each refusal changes nothing", () => {
  it("refuses inviting yourself with 400", async () => {
    const alice = await newUser("alice");
    expectError(
      await invite(alice.access, { email: alice.email.toUpperCase(), shareSince: SINCE }),
      400,
      "VALIDATION_FAILED",
    );
    expect(await invitationsFrom(alice)).toEqual([]);
    expect(await mailsTo(alice.email)).toEqual([]);
  });

  it("refuses a second pending invite to the same email with 409", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await invite(alice.access, { email: bob.email, shareSince: SINCE });
    const before = await sharingState(alice, bob);
    expectError(await invite(alice.access, { email: bob.email, shareSince: "2023-01-01T00:00:00Z" }), 409, "CONFLICT");
    expect(await sharingState(alice, bob)).toEqual(before);
    expect(await mailsTo(bob.email)).toHaveLength(1);
  });

  it("refuses inviting someone who already sees your dashboard with 409", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const before = await sharingState(alice, bob);
    expectError(await invite(alice.access, { email: bob.email, shareSince: SINCE }), 409, "CONFLICT");
    expect(await sharingState(alice, bob)).toEqual(before);
  });

  it("refuses accepting twice and rejecting an accepted invite with 409", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const before = await sharingState(alice, bob);
    expectError(
      await call("POST", "/v1/sharing/invite/accept", { token: bob.access, body: { email: alice.email } }),
      409,
      "CONFLICT",
    );
    expectError(
      await call("POST", "/v1/sharing/invite/reject", { token: bob.access, body: { email: alice.email } }),
      409,
      "CONFLICT",
    );
    expectError(
      await call("DELETE", "/v1/sharing/invite", { token: alice.access, body: { email: bob.email } }),
      409,
      "CONFLICT",
    );
    expectError(
      await call("PUT", "/v1/sharing/invite/resend", { token: alice.access, body: { email: bob.email } }),
      409,
      "CONFLICT",
    );
    expect(await sharingState(alice, bob)).toEqual(before);
  });

  it("refuses accepting an invite whose expiresAt passed while it waited (409)", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await invite(alice.access, { email: bob.email, shareSince: SINCE, expiresAt: "2099-01-01T00:00:00Z" });
    await env.DB.prepare("UPDATE sharing_invitations SET expires_at = ? WHERE sender_id = ?")
      .bind("2001-01-01T00:00:00.000Z", alice.id)
      .run();
    const before = await sharingState(alice, bob);
    const res = await call("POST", "/v1/sharing/invite/accept", { token: bob.access, body: { email: alice.email } });
    expectError(res, 409, "CONFLICT");
    expect(await sharingState(alice, bob)).toEqual(before);
  });

  it("lets only the recipient accept or reject, and only the sender delete or resend", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const eve = await newUser("eve");
    await invite(alice.access, { email: bob.email, shareSince: SINCE });
    const before = await sharingState(alice, bob, eve);
    // The sender cannot answer their own invite; a third user cannot answer it either.
    for (const token of [alice.access, eve.access]) {
      for (const action of ["accept", "reject"]) {
        expectError(
          await call("POST", `/v1/sharing/invite/${action}`, { token, body: { email: alice.email } }),
          404,
          "NOT_FOUND",
        );
      }
    }
    // The recipient (or anyone else) cannot delete or resend it: they sent nothing.
    for (const token of [bob.access, eve.access]) {
      expectError(await call("DELETE", "/v1/sharing/invite", { token, body: { email: bob.email } }), 404, "NOT_FOUND");
      expectError(
        await call("PUT", "/v1/sharing/invite/resend", { token, body: { email: bob.email } }),
        404,
        "NOT_FOUND",
      );
    }
    expect(await sharingState(alice, bob, eve)).toEqual(before);
    expect(await mailsTo(bob.email)).toHaveLength(1);
  });

  it("answers an unknown sender email with the same 404 as a user who sent nothing", async () => {
    const bob = await newUser("bob");
    const stranger = await newUser("stranger");
    const unknown = await call("POST", "/v1/sharing/invite/accept", {
      token: bob.access,
      body: { email: uniqueEmail("ghost") },
    });
    const silent = await call("POST", "/v1/sharing/invite/accept", {
      token: bob.access,
      body: { email: stranger.email },
    });
    expectError(unknown, 404, "NOT_FOUND");
    expectError(silent, 404, "NOT_FOUND");
    expect(unknown.body.message).toEqual(silent.body.message);
  });
});

describe("reject, delete, resend (contract §9 #2, #3, #5)", () => {
  it("rejects a pending invite without notifying the sender; a new invite is then possible", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await invite(alice.access, { email: bob.email, shareSince: SINCE });
    const rejected = await call("POST", "/v1/sharing/invite/reject", {
      token: bob.access,
      body: { email: alice.email },
    });
    expect(rejected.status, rejected.text).toBe(201);
    expect(rejected.body).toEqual({ status: "success" });
    expect(await mailsTo(alice.email)).toEqual([]);
    expect(await sharesOf(bob)).toEqual([]);
    expect((await invitationsFrom(alice)).map((i) => i.status)).toEqual(["REJECTED"]);

    expect((await invite(alice.access, { email: bob.email, shareSince: SINCE })).status).toBe(201);
    expect((await invitationsFrom(alice)).map((i) => i.status)).toEqual(["REJECTED", "PENDING"]);
    const accepted = await call("POST", "/v1/sharing/invite/accept", {
      token: bob.access,
      body: { email: alice.email },
    });
    expect(accepted.status, accepted.text).toBe(201);
  });

  it("deletes a pending invite: it can no longer be accepted", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await invite(alice.access, { email: bob.email, shareSince: SINCE });
    const deleted = await call("DELETE", "/v1/sharing/invite", { token: alice.access, body: { email: bob.email } });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body).toEqual({ status: "success" });
    expect(await invitationsFrom(alice)).toEqual([]);
    expectError(
      await call("POST", "/v1/sharing/invite/accept", { token: bob.access, body: { email: alice.email } }),
      404,
    );
    expectError(await call("DELETE", "/v1/sharing/invite", { token: alice.access, body: { email: bob.email } }), 404);
    expect(await sharesOf(bob)).toEqual([]);
  });

  it("resends the mail and moves sentDate", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await invite(alice.access, { email: bob.email, shareSince: SINCE });
    const [first] = await invitationsFrom(alice);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const resent = await call("PUT", "/v1/sharing/invite/resend", { token: alice.access, body: { email: bob.email } });
    expect(resent.status, resent.text).toBe(200);
    expect(resent.body).toEqual({ status: "success" });
    const mails = await mailsTo(bob.email);
    expect(mails.map((m) => m.kind)).toEqual(["SHARING_INVITE", "SHARING_INVITE"]);
    const [second] = await invitationsFrom(alice);
    expect(second?.status).toBe("PENDING");
    expect(Date.parse(second?.sent_at ?? "")).toBeGreaterThan(Date.parse(first?.sent_at ?? ""));
  });
});

describe("invite bad input: clear 400, nothing stored", () => {
  const cases: [string, Record<string, unknown>][] = [
    ["malformed email", { email: "not-an-email", shareSince: SINCE }],
    ["email over 254 characters", { email: `${"a".repeat(250)}@example.com`, shareSince: SINCE }],
    ["missing email", { shareSince: SINCE }],
    ["shareSince not ISO-8601", { email: "x@example.com", shareSince: "01/02/2024" }],
    ["missing shareSince", { email: "x@example.com" }],
    ["unknown data type", { email: "x@example.com", shareSince: SINCE, types: ["BLOOD_SUGAR"] }],
    ["empty types", { email: "x@example.com", shareSince: SINCE, types: [] }],
    ["expiresAt not ISO-8601", { email: "x@example.com", shareSince: SINCE, expiresAt: "tomorrow" }],
    ["expiresAt in the past", { email: "x@example.com", shareSince: SINCE, expiresAt: "2001-01-01T00:00:00Z" }],
  ];
  it.each(cases)("%s", async (_name, body) => {
    const alice = await newUser("alice");
    expectError(await invite(alice.access, body), 400, "VALIDATION_FAILED");
    expect(await invitationsFrom(alice)).toEqual([]);
  });

  it("refuses malformed emails on accept, reject, delete and resend", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await invite(alice.access, { email: bob.email, shareSince: SINCE });
    const before = await sharingState(alice, bob);
    for (const [method, path, token] of [
      ["POST", "/v1/sharing/invite/accept", bob.access],
      ["POST", "/v1/sharing/invite/reject", bob.access],
      ["DELETE", "/v1/sharing/invite", alice.access],
      ["PUT", "/v1/sharing/invite/resend", alice.access],
    ] as const) {
      for (const email of ["nope", `${"b".repeat(250)}@example.com`]) {
        expectError(await call(method, path, { token, body: { email } }), 400, "VALIDATION_FAILED");
      }
      expectError(await call(method, path, { token, raw: "{not json", contentType: "application/json" }), 400);
    }
    expect(await sharingState(alice, bob)).toEqual(before);
  });
});
