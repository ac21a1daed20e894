import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  handleWebhookBatch,
  handleWebhookDeadLetters,
  MAX_ATTEMPTS,
  RETRY_DELAYS_SECONDS,
} from "../../src/queue/webhooks";
import { WebhookSchema } from "../../src/routes/webhooks/schemas";
import { WEBHOOK_MESSAGE_KIND, type WebhookMessage } from "../../src/user-store/webhooks";
import type { DeliveryDeps } from "../../src/webhooks/deliver";
import { deliveries, register } from "../fixtures/webhooks";
import { call, expectBody, newUser, type TestUser } from "../helpers";

// The consumer called directly with the attempt numbers, clock and network each case needs (the end-to-end path
// through the real queue is in test/routes/webhooks/webhooks.test.ts).

const DAY_MS = 86_400_000;

interface Sent {
  url: string;
  headers: Headers;
  body: string;
}

function network(answer: (sent: Sent) => Response | Promise<Response>, clock = () => Date.now()) {
  const sent: Sent[] = [];
  const deps: DeliveryDeps = {
    fetch: async (input, init) => {
      const request = new Request(input, init);
      expect(request.redirect).toBe("manual");
      const one = { url: request.url, headers: request.headers, body: await request.text() };
      sent.push(one);
      return answer(one);
    },
    resolve: async () => ["93.184.215.14"],
    now: clock,
  };
  return { deps, sent };
}

async function endpoint(user: TestUser, url = "https://hooks.example.com/in") {
  return register(user, url, ["checkin.updated"]);
}

const message = (user: TestUser, webhookId: string, n = 0): WebhookMessage => ({
  kind: WEBHOOK_MESSAGE_KIND,
  userId: user.id,
  webhookId,
  messageId: `msg_test${n}`,
  eventType: "checkin.updated",
  body: JSON.stringify({ type: "checkin.updated", timestamp: new Date().toISOString(), data: { id: `c${n}` } }),
});

/** What the consumer did with one message: acked it, or retried it after `delaySeconds`. */
interface Handled {
  explicitAcks: string[];
  retryMessages: { msgId: string; delaySeconds: number | undefined }[];
}

async function consume(body: unknown, attempts: number, deps: DeliveryDeps, queue = "nowatch-webhooks") {
  return consumeAll([body], attempts, deps, queue);
}

/** One batch of messages, all at the same attempt number. */
async function consumeAll(bodies: unknown[], attempts: number, deps: DeliveryDeps, queue = "nowatch-webhooks") {
  const handled: Handled = { explicitAcks: [], retryMessages: [] };
  const messages = bodies.map((body): Message<unknown> => {
    const id = `q-${crypto.randomUUID()}`;
    return {
      id,
      timestamp: new Date(),
      attempts,
      body,
      ack: () => handled.explicitAcks.push(id),
      retry: (options?: QueueRetryOptions) =>
        handled.retryMessages.push({ msgId: id, delaySeconds: options?.delaySeconds }),
    };
  });
  const batch: MessageBatch<unknown> = {
    queue,
    messages,
    metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } },
    ackAll: () => {},
    retryAll: () => {},
  };
  if (queue === "nowatch-webhooks") await handleWebhookBatch(batch, env, deps);
  else await handleWebhookDeadLetters(batch, env, deps.now());
  return handled;
}

describe("the webhook queue consumer", () => {
  it("acks a 2xx and signs with the endpoint's secret", async () => {
    const user = await newUser("queue");
    const hook = await endpoint(user);
    const { deps, sent } = network(() => new Response("thanks", { status: 200 }));
    const result = await consume(message(user, hook.id), 1, deps);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    const [one] = sent;
    if (!one) throw new Error("nothing sent");
    expect(one.url).toBe("https://hooks.example.com/in");
    const headers = Object.fromEntries(one.headers);
    expect(new Webhook(hook.secret).verify(one.body, headers)).toMatchObject({ type: "checkin.updated" });
    expect(await deliveries(user, hook.id)).toEqual([
      expect.objectContaining({ outcome: "succeeded", statusCode: 200, response: "thanks", messageId: "msg_test0" }),
    ]);
  });

  it("handles a batch of several users and endpoints, each message on its own", async () => {
    const alice = await newUser("queue");
    const bob = await newUser("queue");
    const good = await endpoint(alice, "https://hooks.example.com/good");
    const bad = await endpoint(alice, "https://hooks.example.com/bad");
    const bobs = await endpoint(bob, "https://hooks.example.com/bob");
    const { deps, sent } = network((one) => new Response(null, { status: one.url.endsWith("/bad") ? 500 : 204 }));
    const asked: string[] = [];
    const resolve = deps.resolve;
    deps.resolve = (host) => {
      asked.push(host);
      return resolve(host);
    };
    const bodies = [
      message(alice, good.id, 1),
      message(alice, bad.id, 2),
      message(bob, bobs.id, 3),
      message(alice, good.id, 4),
      { kind: "nonsense" },
    ];
    const handled = await consumeAll(bodies, 1, deps);
    expect(handled.explicitAcks).toHaveLength(4);
    expect(handled.retryMessages).toHaveLength(1);
    expect(sent.map((s) => new URL(s.url).pathname).sort()).toEqual(["/bad", "/bob", "/good", "/good"]);
    // Four deliveries to one host: its DNS is asked once for the batch.
    expect(asked).toEqual(["hooks.example.com"]);
    expect((await deliveries(alice, good.id)).map((a) => a.messageId).sort()).toEqual(["msg_test1", "msg_test4"]);
    expect(await deliveries(alice, bad.id)).toEqual([expect.objectContaining({ outcome: "failed", statusCode: 500 })]);
    expect(await deliveries(bob, bobs.id)).toEqual([expect.objectContaining({ outcome: "succeeded" })]);
  });

  it("retries a 500 with exponential backoff, then hands the last failure to the dead-letter queue", async () => {
    const user = await newUser("queue");
    const hook = await endpoint(user);
    const { deps, sent } = network(() => new Response("down", { status: 500 }));
    const delays: (number | undefined)[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await consume(message(user, hook.id), attempt, deps);
      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages).toHaveLength(1);
      delays.push(result.retryMessages[0]?.delaySeconds);
    }
    expect(delays).toEqual([...RETRY_DELAYS_SECONDS, 0]);
    expect(delays.slice(0, -1)).toEqual([...delays.slice(0, -1)].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(sent).toHaveLength(MAX_ATTEMPTS);
    // Every try carries the same webhook-id, so a receiver can deduplicate.
    expect(new Set(sent.map((s) => s.headers.get("webhook-id")))).toEqual(new Set(["msg_test0"]));

    const dead = await consume(message(user, hook.id), 1, deps, "nowatch-webhooks-dlq");
    expect(dead.explicitAcks).toHaveLength(1);
    const log = await deliveries(user, hook.id);
    expect(log).toHaveLength(MAX_ATTEMPTS + 1);
    expect(log[0]).toMatchObject({ outcome: "dead_lettered", error: `Gave up after ${MAX_ATTEMPTS} attempts` });
    expect(log.slice(1).map((a) => a.attempt)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(log.slice(1).every((a) => a.outcome === "failed" && a.statusCode === 500)).toBe(true);
  });

  it("logs a timeout and a refused connection as failures", async () => {
    const user = await newUser("queue");
    const hook = await endpoint(user);
    const timeout = network(() => {
      throw new DOMException("The operation timed out.", "TimeoutError");
    });
    expect((await consume(message(user, hook.id), 1, timeout.deps)).retryMessages).toHaveLength(1);
    const refused = network(() => {
      throw new TypeError("Network connection lost.");
    });
    await consume(message(user, hook.id, 1), 1, refused.deps);
    const [second, first] = await deliveries(user, hook.id);
    expect(first).toMatchObject({ outcome: "failed", statusCode: null, error: "No answer within 10 s" });
    expect(second?.error).toContain("Could not connect");
  });

  it("reads only the first few KB of an answer", async () => {
    const user = await newUser("queue");
    const hook = await endpoint(user);
    let pulled = 0;
    const huge = () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            pulled += 1;
            controller.enqueue(new TextEncoder().encode("x".repeat(1024)));
            if (pulled > 10_000) controller.close();
          },
        }),
        { status: 200 },
      );
    await consume(message(user, hook.id), 1, network(huge).deps);
    expect(pulled).toBeLessThan(10);
    const [attempt] = await deliveries(user, hook.id);
    expect(attempt?.response).toHaveLength(512);
  });

  it("refuses, without sending, a host that now resolves to a private address", async () => {
    const user = await newUser("queue");
    const hook = await endpoint(user);
    const { deps, sent } = network(() => new Response(null, { status: 204 }));
    deps.resolve = async () => ["169.254.169.254"];
    const result = await consume(message(user, hook.id), 1, deps);
    expect(result.retryMessages).toHaveLength(1);
    expect(sent).toEqual([]);
    const [attempt] = await deliveries(user, hook.id);
    expect(attempt?.error).toContain("resolves to 169.254.169.254");
  });

  it("disables an endpoint that failed for 5 days, mails its owner and drops what waits for it", async () => {
    const user = await newUser("queue");
    const hook = await endpoint(user);
    let now = Date.now();
    const { deps, sent } = network(
      () => new Response(null, { status: 503 }),
      () => now,
    );
    await consume(message(user, hook.id, 1), 1, deps);
    now += 4 * DAY_MS;
    await consume(message(user, hook.id, 2), 1, deps);
    let state = expectBody(await call("GET", `/v1/webhooks/${hook.id}`, { token: user.access }), 200, WebhookSchema);
    expect(state.enabled).toBe(true);
    now += DAY_MS + 1000;
    const last = await consume(message(user, hook.id, 3), 2, deps);
    expect(last.explicitAcks).toHaveLength(1);
    expect(last.retryMessages).toEqual([]);
    state = expectBody(await call("GET", `/v1/webhooks/${hook.id}`, { token: user.access }), 200, WebhookSchema);
    expect(state).toMatchObject({ enabled: false });
    expect(state.disabledReason).toContain("Every delivery failed since");
    const mail = await env.DB.prepare("SELECT subject, body FROM mail_outbox WHERE to_address = ? AND kind = ?")
      .bind(user.email, "WEBHOOK_DISABLED")
      .all<{ subject: string; body: string }>();
    expect(mail.results).toHaveLength(1);
    expect(mail.results[0]?.body).toContain("https://hooks.example.com/in");

    // A disabled endpoint gets nothing more; re-enabling it clears the streak.
    const sentBefore = sent.length;
    expect((await consume(message(user, hook.id, 4), 1, deps)).explicitAcks).toHaveLength(1);
    expect(sent).toHaveLength(sentBefore);
    const enabled = await call("PATCH", `/v1/webhooks/${hook.id}`, { token: user.access, body: { enabled: true } });
    expect(expectBody(enabled, 200, WebhookSchema)).toMatchObject({ enabled: true, failingSince: null });
  });

  it("acks what cannot be delivered: a deleted endpoint, a deleted account, a malformed message", async () => {
    const user = await newUser("queue");
    const hook = await endpoint(user);
    const { deps, sent } = network(() => new Response(null, { status: 204 }));
    await call("DELETE", `/v1/webhooks/${hook.id}`, { token: user.access });
    expect((await consume(message(user, hook.id), 1, deps)).explicitAcks).toHaveLength(1);
    expect((await consume({ kind: "webhook_delivery", userId: 5 }, 1, deps)).explicitAcks).toHaveLength(1);
    const gone = await newUser("queue");
    const goneHook = await endpoint(gone);
    expect((await call("DELETE", "/v1/user", { token: gone.access })).status).toBeLessThan(300);
    expect((await consume(message(gone, goneHook.id), 1, deps)).explicitAcks).toHaveLength(1);
    expect(sent).toEqual([]);
  });
});
