// Issue 15 figures: what the change feed and webhooks cost and how fast they are. The feed is written in each write's
// own transaction, so its cost shows in write latency; webhooks leave through the outbox, the queue and the consumer.

import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { curl, json, newUser, round, stats, timeCurl } from "../lib.mjs";

export const name = "changes";

const checkin = (i) => ({
  datetime: new Date(Date.parse("2025-01-01T08:00:00Z") + i * 60_000).toISOString(),
  origin: "CROWN_PRESS",
  reactivity: "CENTERED",
  valence: "NEUTRAL",
  related_feelings: ["HAPPY"],
  context: ["WORKING"],
  note: `bench ${i}`,
});

function bodyFile(label, value) {
  const path = join(tmpdir(), `nowatch-bench-changes-${label}-${process.pid}.json`);
  writeFileSync(path, JSON.stringify(value));
  return `@${path}`;
}

/** A local webhook receiver: answers 204 and remembers when each delivery arrived, by the check-in's note. */
async function receiver() {
  const arrivals = new Map();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      try {
        arrivals.set(JSON.parse(body).data.note, performance.now());
      } catch {
        // not ours
      }
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, arrivals, close: () => server.close() };
}

async function waitFor(check, ms) {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error("timed out waiting for deliveries");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const postCheckins = (base, user, data) =>
  curl(`${base}/v1/checkin`, {
    method: "POST",
    token: user.access,
    headers: { "content-type": "application/json" },
    data,
  });

export async function run({ base }) {
  const hooks = await receiver();
  try {
    // 1. The cost of a write: one check-in, for a user without webhooks and for one with a subscribed endpoint.
    const one = bodyFile("one", [checkin(0)]);
    const plain = await newUser(base, "feed-plain");
    const withoutHook = await timeCurl(() => postCheckins(base, plain, one), { runs: 30, warmup: 5 });
    const hooked = await newUser(base, "feed-hooked");
    const made = await json(base, "POST", "/v1/webhooks", {
      token: hooked.access,
      body: { url: hooks.url, events: ["checkin.updated"] },
    });
    if (made.status !== 201) throw new Error(`webhook: ${JSON.stringify(made.body)}`);
    const withHook = await timeCurl(() => postCheckins(base, hooked, one), { runs: 30, warmup: 5 });

    // 2. Delivery latency: from the write's answer to the receiver's, one at a time.
    const latencies = [];
    for (let i = 0; i < 20; i++) {
      const note = `latency ${i}`;
      const res = await postCheckins(base, hooked, bodyFile(`lat-${i}`, [{ ...checkin(i), note }]));
      if (res.status !== 201) throw new Error(`checkin ${res.status}`);
      const answered = performance.now();
      await waitFor(() => hooks.arrivals.has(note), 15_000);
      latencies.push(hooks.arrivals.get(note) - answered);
    }

    // 3. Throughput: one batch of 1,000 check-ins is 1,000 deliveries.
    const batch = Array.from({ length: 1000 }, (_, i) => ({ ...checkin(i), note: `burst ${i}` }));
    const t0 = performance.now();
    const burst = await postCheckins(base, hooked, bodyFile("burst", batch));
    if (burst.status !== 201) throw new Error(`burst ${burst.status}`);
    await waitFor(() => batch.every((c) => hooks.arrivals.has(c.note)), 120_000);
    const burstMs = performance.now() - t0;

    // 4. Reading the feed: a user with 10,000 changes, pages of 1,000.
    const reader = await newUser(base, "feed-reader");
    for (let k = 0; k < 10; k++) {
      const items = Array.from({ length: 1000 }, (_, i) => checkin(k * 1000 + i));
      const res = await postCheckins(base, reader, bodyFile(`seed-${k}`, items));
      if (res.status !== 201) throw new Error(`seed ${res.status}`);
    }
    const firstPage = await timeCurl(() => curl(`${base}/v1/changes?limit=1000`, { token: reader.access }));
    const drains = [];
    for (let run = 0; run < 5; run++) {
      let cursor = "";
      let entries = 0;
      const start = performance.now();
      for (;;) {
        const res = await curl(`${base}/v1/changes?limit=1000${cursor ? `&cursor=${cursor}` : ""}`, {
          token: reader.access,
        });
        entries += res.body.changes.length;
        cursor = res.body.cursor;
        if (!res.body.hasMore) break;
      }
      if (entries !== 10_000) throw new Error(`drained ${entries}`);
      drains.push(performance.now() - start);
    }
    const lat = stats(latencies);
    const drain = stats(drains);
    return {
      oneCheckinWrite: {
        withoutWebhookMedianMs: round(withoutHook.median),
        withWebhookMedianMs: round(withHook.median),
        ratio: round(withHook.median / withoutHook.median),
      },
      deliveryLatency: { medianMs: round(lat.median), p90Ms: round(lat.p90), maxMs: round(lat.max) },
      thousandDeliveries: { ms: round(burstMs), perSecond: round(1000 / (burstMs / 1000)) },
      feedRead: {
        changes: 10_000,
        pageOf1000MedianMs: round(firstPage.median),
        drainAllMedianMs: round(drain.median),
        changesPerSecond: round(10_000 / (drain.median / 1000)),
      },
    };
  } finally {
    hooks.close();
  }
}
