import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { WebhookSchema } from "../../../src/routes/webhooks/schemas";
import { activityItem, checkinItem, create } from "../../fixtures/records";
import {
  deliveries,
  RECEIVER,
  receivedUnder,
  receiverPath,
  register,
  signedHeaders,
  waitForAttempts,
  waitForReceived,
} from "../../fixtures/webhooks";
import { call, expectBody, expectError, newUser } from "../../helpers";
import { csv, DAY0, heartRate, isoDay, upload, zipped } from "../measurement/helpers";

describe("webhook endpoints", () => {
  it("POST answers 201 with the secret once; GET lists and reads the endpoints without it", async () => {
    const user = await newUser("hooks");
    const url = `${RECEIVER}${receiverPath("ok")}`;
    const created = await register(user, url, ["session.updated", "session.deleted", "session.updated"]);
    expect(Object.keys(created).sort()).toEqual(["createdAt", "events", "id", "secret", "url"]);
    expect(created).toMatchObject({ url, events: ["session.updated", "session.deleted"] });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const list = await call("GET", "/v1/webhooks", { token: user.access });
    const listed = expectBody(list, 200, WebhookSchema.array());
    expect(listed).toEqual([
      expect.objectContaining({ id: created.id, url, enabled: true, disabledAt: null, failingSince: null }),
    ]);
    expect(list.text).not.toContain(created.secret.slice(6, 20));
    const one = await call("GET", `/v1/webhooks/${created.id}`, { token: user.access });
    expect(expectBody(one, 200, WebhookSchema).id).toBe(created.id);
    expect(one.text).not.toContain("secret");
  });

  it("refuses bad endpoints with 400 and stores none", async () => {
    const user = await newUser("hooks");
    const bad: [unknown, string][] = [
      [{ url: "http://169.254.169.254/latest/meta-data", events: ["session.updated"] }, "private, loopback"],
      [{ url: "http://10.0.0.1/hook", events: ["session.updated"] }, "private, loopback"],
      [{ url: "https://[::1]/hook", events: ["session.updated"] }, "private, loopback"],
      [{ url: "http://hooks.example.com/hook", events: ["session.updated"] }, "https"],
      [{ url: "https://user:pw@hooks.example.com/", events: ["session.updated"] }, "credentials"],
      [{ url: "https://hooks.example.com/", events: ["session.exploded"] }, "events"],
      [{ url: "https://hooks.example.com/", events: [] }, "events"],
      [{ url: "https://hooks.example.com/" }, "events"],
      [{ events: ["session.updated"] }, "url"],
    ];
    for (const [body, mention] of bad) {
      const result = await call("POST", "/v1/webhooks", { token: user.access, body });
      expectError(result, 400);
      expect((result.body as { message: string[] }).message.join(" "), JSON.stringify(body)).toContain(mention);
    }
    expect((await call("GET", "/v1/webhooks", { token: user.access })).body).toEqual([]);
  });

  it("allows 20 endpoints per user, then answers 409", async () => {
    const user = await newUser("hooks");
    for (let i = 0; i < 20; i++) await register(user, `https://hooks.example.com/${i}`, ["checkin.updated"]);
    const more = await call("POST", "/v1/webhooks", {
      token: user.access,
      body: { url: "https://hooks.example.com/21", events: ["checkin.updated"] },
    });
    expectError(more, 409);
  });

  it("are each user's own: another user's id is unknown, shared-user is refused, no token is 401", async () => {
    const owner = await newUser("hooks");
    const stranger = await newUser("stranger");
    const created = await register(owner, "https://hooks.example.com/x", ["checkin.updated"]);
    const theirs = { token: stranger.access };
    for (const [method, path, body] of [
      ["GET", `/v1/webhooks/${created.id}`],
      ["PATCH", `/v1/webhooks/${created.id}`, { enabled: false }],
      ["DELETE", `/v1/webhooks/${created.id}`],
      ["POST", `/v1/webhooks/${created.id}/rotate-secret`],
      ["GET", `/v1/webhooks/${created.id}/deliveries`],
    ] as [string, string, unknown?][]) {
      expectError(await call(method, path, { ...theirs, body }), 404);
      expectError(await call(method, path, { body }), 401);
      expectError(await call(method, path, { ...theirs, body, headers: { "shared-user": owner.id } }), 403);
    }
    expect(await call("GET", "/v1/webhooks", theirs)).toMatchObject({ status: 200, body: [] });
    expectError(await call("GET", "/v1/webhooks/wh_not-an-id", { token: owner.access }), 404);
    // Unchanged by all of that.
    const still = expectBody(
      await call("GET", `/v1/webhooks/${created.id}`, { token: owner.access }),
      200,
      WebhookSchema,
    );
    expect(still).toMatchObject({ enabled: true, url: "https://hooks.example.com/x" });
  });

  it("PATCH changes events and pauses an endpoint; DELETE removes it", async () => {
    const user = await newUser("hooks");
    const created = await register(user, "https://hooks.example.com/p", ["checkin.updated"]);
    const paused = await call("PATCH", `/v1/webhooks/${created.id}`, {
      token: user.access,
      body: { enabled: false, events: ["checkin.deleted"] },
    });
    expect(expectBody(paused, 200, WebhookSchema)).toMatchObject({ enabled: false, events: ["checkin.deleted"] });
    const refused = await call("PATCH", `/v1/webhooks/${created.id}`, {
      token: user.access,
      body: { url: "http://10.0.0.1/" },
    });
    expectError(refused, 400);
    const resumed = await call("PATCH", `/v1/webhooks/${created.id}`, { token: user.access, body: { enabled: true } });
    expect(expectBody(resumed, 200, WebhookSchema)).toMatchObject({ enabled: true, disabledAt: null });
    expect((await call("DELETE", `/v1/webhooks/${created.id}`, { token: user.access })).status).toBe(200);
    expectError(await call("GET", `/v1/webhooks/${created.id}`, { token: user.access }), 404);
    expectError(await call("DELETE", `/v1/webhooks/${created.id}`, { token: user.access }), 404);
  });
});

describe("webhook deliveries", () => {
  it("sends each subscribed change, signed per Standard Webhooks, carrying the change", async () => {
    const user = await newUser("hooks");
    const path = receiverPath("ok");
    const created = await register(user, `${RECEIVER}${path}`, ["session.updated", "measurement.updated"]);
    const [session] = await create(user, "/v1/session", [activityItem()]);
    await create(user, "/v1/checkin", [checkinItem()]); // not subscribed: never sent
    const uploaded = await upload(user.access, "HEART_RATE", zipped(csv(heartRate(DAY0 + 60, 120))));
    expect(uploaded.status).toBe(201);

    const got = await waitForReceived(path, 2);
    const verifier = new Webhook(created.secret);
    const bodies = got.map((r) => {
      expect(r.method).toBe("POST");
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["webhook-id"]).toMatch(/^msg_/);
      return verifier.verify(r.body, signedHeaders(r)) as { type: string; timestamp: string; data: unknown };
    });
    const byType = Object.fromEntries(bodies.map((b) => [b.type, b]));
    expect(Object.keys(byType).sort()).toEqual(["measurement.updated", "session.updated"]);
    expect(byType["session.updated"]?.data).toMatchObject({
      id: session,
      type: 12,
      startDatetime: "2024-03-20T13:00:00.000Z",
    });
    expect(byType["measurement.updated"]?.data).toEqual({
      type: "HEART_RATE",
      day: isoDay(DAY0),
      count: 120,
      firstDatetime: new Date((DAY0 + 60) * 1000).toISOString(),
      lastDatetime: new Date((DAY0 + 179) * 1000).toISOString(),
    });
    const attempts = await waitForAttempts(user, created.id, 2);
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ outcome: "succeeded", statusCode: 204, attempt: 1, error: null });
    }
    expect(attempts.map((a) => a.messageId).sort()).toEqual(got.map((r) => r.headers["webhook-id"]).sort());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await receivedUnder(path)).toHaveLength(2);
  });

  it("after rotate-secret, signs with the new and the previous secret", async () => {
    const user = await newUser("hooks");
    const path = receiverPath("ok");
    const created = await register(user, `${RECEIVER}${path}`, ["checkin.updated"]);
    const rotated = await call<{ id: string; secret: string; previousSecretExpiresAt: string }>(
      "POST",
      `/v1/webhooks/${created.id}/rotate-secret`,
      { token: user.access },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    await create(user, "/v1/checkin", [checkinItem()]);
    const [received] = await waitForReceived(path);
    if (!received) throw new Error("no delivery");
    expect(received.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    for (const secret of [rotated.body.secret, created.secret]) {
      expect(new Webhook(secret).verify(received.body, signedHeaders(received))).toMatchObject({
        type: "checkin.updated",
      });
    }
  });

  it("logs a 500 as a failed attempt, to be retried", async () => {
    const user = await newUser("hooks");
    const path = receiverPath("fail");
    const created = await register(user, `${RECEIVER}${path}`, ["session.deleted"]);
    const [session] = await create(user, "/v1/session", [activityItem()]);
    expect((await call("DELETE", `/v1/session/${session}`, { token: user.access })).status).toBe(200);
    const [attempt] = await waitForAttempts(user, created.id);
    expect(attempt).toMatchObject({
      eventType: "session.deleted",
      outcome: "failed",
      statusCode: 500,
      error: "Answered 500",
      response: "boom",
      attempt: 1,
    });
    const endpoint = expectBody(
      await call("GET", `/v1/webhooks/${created.id}`, { token: user.access }),
      200,
      WebhookSchema,
    );
    expect(endpoint.failingSince).toBe(attempt?.attemptedAt);
  });

  it("never follows a redirect", async () => {
    const user = await newUser("hooks");
    const path = receiverPath("redirect");
    const created = await register(user, `${RECEIVER}${path}`, ["checkin.updated"]);
    await create(user, "/v1/checkin", [checkinItem()]);
    const [attempt] = await waitForAttempts(user, created.id);
    expect(attempt).toMatchObject({ outcome: "failed", statusCode: 302 });
    expect(attempt?.error).toContain("redirects are not followed");
    expect(await receivedUnder("/latest/meta-data")).toEqual([]);
    expect(await receivedUnder(path)).toHaveLength(1);
  });

  it("checks the host's DNS before each delivery: a name resolving to 10.0.0.1 is never contacted", async () => {
    const user = await newUser("hooks");
    const rebind = await register(user, `https://rebind.example.com${receiverPath("ok")}`, ["checkin.updated"]);
    const publicPath = receiverPath("ok");
    const open = await register(user, `https://hooks.example.com${publicPath}`, ["checkin.updated"]);
    await create(user, "/v1/checkin", [checkinItem()]);
    const [refused] = await waitForAttempts(user, rebind.id);
    expect(refused).toMatchObject({ outcome: "failed", statusCode: null });
    expect(refused?.error).toContain("rebind.example.com resolves to 10.0.0.1");
    const [delivered] = await waitForAttempts(user, open.id);
    expect(delivered).toMatchObject({ outcome: "succeeded", statusCode: 204 });
    expect(await receivedUnder(publicPath)).toHaveLength(1);
  });

  it("sends nothing to a paused endpoint", async () => {
    const user = await newUser("hooks");
    const path = receiverPath("ok");
    const created = await register(user, `${RECEIVER}${path}`, ["checkin.updated"]);
    await call("PATCH", `/v1/webhooks/${created.id}`, { token: user.access, body: { enabled: false } });
    await create(user, "/v1/checkin", [checkinItem()]);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await receivedUnder(path)).toEqual([]);
    expect(await deliveries(user, created.id)).toEqual([]);
  });
});
