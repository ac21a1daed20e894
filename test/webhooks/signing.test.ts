import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, SECRET_PREFIX, sign, signatureHeader } from "../../src/webhooks/signing";

// The Standard Webhooks reference library verifies what we sign: an implementation that shares no code with ours.

describe("Standard Webhooks signatures", () => {
  it("a new secret is whsec_ + base64 of 32 random bytes, never the same twice", () => {
    const a = newWebhookSecret();
    const b = newWebhookSecret();
    expect(a.startsWith(SECRET_PREFIX)).toBe(true);
    expect(atob(a.slice(SECRET_PREFIX.length))).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it("signs as the reference implementation verifies", async () => {
    const secret = newWebhookSecret();
    const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: "session.updated", timestamp: new Date().toISOString(), data: { id: "s1" } });
    const headers = {
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": await signatureHeader([secret], id, timestamp, body),
    };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    // Any change to the body, the id or the time breaks it.
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, "webhook-id": "msg_other" })).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });

  it("matches the specification's published example", async () => {
    // From the Standard Webhooks specification (spec/standard-webhooks.md, "Signature scheme").
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const signature = await sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}');
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("carries one signature per secret; a receiver holding either accepts", async () => {
    const current = newWebhookSecret();
    const previous = newWebhookSecret();
    const id = "msg_rotation";
    const timestamp = Math.floor(Date.now() / 1000);
    const body = '{"type":"checkin.updated"}';
    const header = await signatureHeader([current, previous], id, timestamp, body);
    expect(header.split(" ")).toHaveLength(2);
    const headers = { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": header };
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
  });
});
