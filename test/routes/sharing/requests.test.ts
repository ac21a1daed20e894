import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SharedDashboardSchema } from "../../../src/routes/shared/schemas";
import { ShareRecordSchema, SharingRequestSchema } from "../../../src/routes/sharing/schemas";
import { invitationsFrom, mailsTo, SINCE, share, sharesOf, sharingState } from "../../fixtures/sharing";
import {
  call,
  expectBody,
  expectError,
  expectSchema,
  expectTokens,
  newUser,
  nth,
  read,
  registration,
  uniqueEmail,
  verifyEmail,
} from "../../helpers";

const sentRequests = (token: string) => read("/v1/sharing/requests/sent", { token }, z.array(SharingRequestSchema));

const request = (token: string, body: unknown) => call("POST", "/v1/sharing/request", { token, body });

describe("POST /v1/sharing/request → accept (contract §9 #12, #14)", () => {
  it("mails the owner, lists it both ways, and on accept the requester sees the owner's dashboard", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");

    const sent = await request(bob.access, { email: alice.email, shareSince: "2024-01-01T00:00:00+00:00" });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body).toEqual({ status: "success" });
    const [mail] = await mailsTo(alice.email);
    expect(mail?.kind).toBe("SHARING_REQUEST");
    expect(mail?.body).toContain("POST /v1/sharing/request/accept");
    expect(mail?.body).toContain(bob.email);

    const sentList = await call("GET", "/v1/sharing/requests/sent", { token: bob.access });
    expect(sentList.status, sentList.text).toBe(200);
    const [req] = expectSchema(z.array(SharingRequestSchema), sentList.body);
    expect(req).toMatchObject({
      requestedEmail: alice.email,
      fromEmail: bob.email,
      status: "PENDING",
      shareSince: SINCE,
    });
    const receivedList = await call("GET", "/v1/sharing/requests/received", { token: alice.access });
    expect(expectSchema(z.array(SharingRequestSchema), receivedList.body)).toEqual([req]);

    const accepted = await call("POST", "/v1/sharing/request/accept", {
      token: alice.access,
      body: { email: bob.email, types: ["HEART_RATE", "STATISTICS"], expiresAt: "2099-06-01T00:00:00Z" },
    });
    expect(accepted.status, accepted.text).toBe(201);
    const record = expectSchema(ShareRecordSchema, accepted.body);
    expect(record).toMatchObject({
      fromId: alice.id,
      fromEmail: alice.email,
      toId: bob.id,
      toEmail: bob.email,
      sharedSince: SINCE,
      types: ["HEART_RATE", "STATISTICS"],
      expiresAt: "2099-06-01T00:00:00.000Z",
    });
    const shared = await read("/v1/shared", { token: bob.access }, z.array(SharedDashboardSchema));
    expect(shared.map((d) => d.fromId)).toEqual([alice.id]);
    const sharing = await call("GET", "/v1/sharing", { token: alice.access });
    expect(sharing.body).toEqual([record]);
    expect(nth(await sentRequests(bob.access)).status).toBe("ACCEPTED");
  });

  it("defaults to all types and no expiry when the owner accepts without limits", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await request(bob.access, { email: alice.email, shareSince: SINCE });
    const accepted = await call("POST", "/v1/sharing/request/accept", {
      token: alice.access,
      body: { email: bob.email },
    });
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.body).toMatchObject({ types: null, expiresAt: null });
  });

  it("lets a request to an email without an account wait for its registration", async () => {
    const bob = await newUser("bob");
    const email = uniqueEmail("owner");
    expect((await request(bob.access, { email, shareSince: SINCE })).status).toBe(201);
    expect((await mailsTo(email))[0]?.kind).toBe("SHARING_REQUEST");
    const reg = registration(email);
    expect((await call("POST", "/v1/auth/register", { body: reg })).status).toBe(201);
    const login = await call("POST", "/v2/auth/login", { body: { email, password: reg.password } });
    const token = expectTokens(login).access;
    // Hidden until the owner of the address proves it (security finding 1).
    expect((await call("GET", "/v1/sharing/requests/received", { token })).body).toEqual([]);
    await verifyEmail(email);
    expect((await call("GET", "/v1/sharing/requests/received", { token })).body).toHaveLength(1);
    const accepted = await call("POST", "/v1/sharing/request/accept", { token, body: { email: bob.email } });
    expect(expectBody(accepted, 201, ShareRecordSchema).toId).toBe(bob.id);
  });
});

describe("request rules: each refusal changes nothing", () => {
  it("refuses requesting your own dashboard with 400", async () => {
    const bob = await newUser("bob");
    expectError(await request(bob.access, { email: bob.email, shareSince: SINCE }), 400, "VALIDATION_FAILED");
    expect(await invitationsFrom(bob)).toEqual([]);
  });

  it("refuses a second pending request (409) and a request for a dashboard you already see (409)", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const carol = await newUser("carol");
    await request(bob.access, { email: alice.email, shareSince: SINCE });
    await share(carol, bob);
    const before = await sharingState(alice, bob, carol);
    expectError(await request(bob.access, { email: alice.email, shareSince: SINCE }), 409, "CONFLICT");
    expectError(await request(bob.access, { email: carol.email, shareSince: SINCE }), 409, "CONFLICT");
    expect(await sharingState(alice, bob, carol)).toEqual(before);
  });

  it("refuses accepting twice, rejecting an accepted request and cancelling it with 409", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await request(bob.access, { email: alice.email, shareSince: SINCE });
    await call("POST", "/v1/sharing/request/accept", { token: alice.access, body: { email: bob.email } });
    const before = await sharingState(alice, bob);
    expectError(
      await call("POST", "/v1/sharing/request/accept", { token: alice.access, body: { email: bob.email } }),
      409,
      "CONFLICT",
    );
    expectError(
      await call("POST", "/v1/sharing/request/reject", { token: alice.access, body: { email: bob.email } }),
      409,
      "CONFLICT",
    );
    expectError(
      await call("DELETE", "/v1/sharing/request", { token: bob.access, body: { email: alice.email } }),
      409,
      "CONFLICT",
    );
    expect(await sharingState(alice, bob)).toEqual(before);
  });

  it("refuses accepting a request when the requester already sees the dashboard (an invite got there first)", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await request(bob.access, { email: alice.email, shareSince: SINCE });
    await share(alice, bob);
    const before = await sharingState(alice, bob);
    expectError(
      await call("POST", "/v1/sharing/request/accept", { token: alice.access, body: { email: bob.email } }),
      409,
      "CONFLICT",
    );
    expect(await sharingState(alice, bob)).toEqual(before);
  });

  it("lets only the owner accept or reject, and only the requester cancel", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const eve = await newUser("eve");
    await request(bob.access, { email: alice.email, shareSince: SINCE });
    const before = await sharingState(alice, bob, eve);
    for (const token of [bob.access, eve.access]) {
      for (const action of ["accept", "reject"]) {
        expectError(
          await call("POST", `/v1/sharing/request/${action}`, { token, body: { email: bob.email } }),
          404,
          "NOT_FOUND",
        );
      }
    }
    for (const token of [alice.access, eve.access]) {
      expectError(
        await call("DELETE", "/v1/sharing/request", { token, body: { email: alice.email } }),
        404,
        "NOT_FOUND",
      );
    }
    expect(await sharingState(alice, bob, eve)).toEqual(before);
  });
});

describe("reject and cancel (contract §9 #13, #15)", () => {
  it("rejects a pending request; the requester may ask again", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await request(bob.access, { email: alice.email, shareSince: SINCE });
    const rejected = await call("POST", "/v1/sharing/request/reject", {
      token: alice.access,
      body: { email: bob.email },
    });
    expect(rejected.status, rejected.text).toBe(201);
    expect(rejected.body).toEqual({ status: "success" });
    expect(await sharesOf(alice)).toEqual([]);
    expect(nth(await sentRequests(bob.access)).status).toBe("REJECTED");
    expect((await request(bob.access, { email: alice.email, shareSince: SINCE })).status).toBe(201);
  });

  it("cancels a pending request: it can no longer be accepted", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await request(bob.access, { email: alice.email, shareSince: SINCE });
    const cancelled = await call("DELETE", "/v1/sharing/request", { token: bob.access, body: { email: alice.email } });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toEqual({ status: "success" });
    expect(await invitationsFrom(bob)).toEqual([]);
    expectError(
      await call("POST", "/v1/sharing/request/accept", { token: alice.access, body: { email: bob.email } }),
      404,
    );
    expect(await sharesOf(alice)).toEqual([]);
  });
});

describe("request bad input: clear 400, nothing stored", () => {
  const cases: [string, Record<string, unknown>][] = [
    ["malformed email", { email: "bob@", shareSince: SINCE }],
    ["email over 254 characters", { email: `${"a".repeat(250)}@example.com`, shareSince: SINCE }],
    ["shareSince not ISO-8601", { email: "x@example.com", shareSince: "yesterday" }],
    ["shareSince a number", { email: "x@example.com", shareSince: 1700000000 }],
  ];
  it.each(cases)("%s", async (_name, body) => {
    const bob = await newUser("bob");
    expectError(await request(bob.access, body), 400, "VALIDATION_FAILED");
    expect(await invitationsFrom(bob)).toEqual([]);
  });

  it("refuses bad limits on accept and leaves the request pending", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await request(bob.access, { email: alice.email, shareSince: SINCE });
    const before = await sharingState(alice, bob);
    for (const extra of [
      { types: ["NOT_A_TYPE"] },
      { types: [] },
      { types: "HEART_RATE" },
      { expiresAt: "2001-01-01T00:00:00Z" },
      { expiresAt: "soon" },
    ]) {
      const res = await call("POST", "/v1/sharing/request/accept", {
        token: alice.access,
        body: { email: bob.email, ...extra },
      });
      expectError(res, 400, "VALIDATION_FAILED");
    }
    expect(await sharingState(alice, bob)).toEqual(before);
  });
});
