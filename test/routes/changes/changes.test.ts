import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { encodeCursor } from "../../../src/changes/cursor";
import { ChangesPageSchema } from "../../../src/routes/changes";
import { pruneTombstones } from "../../../src/user-store/changes";
import { userStore } from "../../../src/user-store/user-store";
import { activityItem, asViewer, checkinItem, create, dayFeedbackItem, share } from "../../fixtures/records";
import { type CallOptions, call, expectBody, expectError, newUser, type TestUser } from "../../helpers";
import { csv, DAY, DAY0, heartRate, isoDay, upload, zipped } from "../measurement/helpers";

type Page = ReturnType<typeof ChangesPageSchema.parse>;

async function feed(user: TestUser, query = "", options: CallOptions = {}): Promise<Page> {
  const result = await call("GET", `/v1/changes${query}`, { token: user.access, ...options });
  return expectBody(result, 200, ChangesPageSchema) as Page;
}

/** The whole feed after `cursor`, page by page. */
async function drain(user: TestUser, cursor?: string, limit = 1000, options: CallOptions = {}) {
  const changes: Page["changes"] = [];
  let next = cursor;
  for (;;) {
    const page = await feed(user, `?limit=${limit}${next ? `&cursor=${next}` : ""}`, options);
    changes.push(...page.changes);
    next = page.cursor;
    if (!page.hasMore) return { changes, cursor: next };
  }
}

const uploadDay = async (user: TestUser, start: number, count = 60) => {
  const result = await upload(user.access, "HEART_RATE", zipped(csv(heartRate(start, count))));
  expect(result.status, result.text).toBe(201);
};

const summary = (changes: Page["changes"]) =>
  changes.map((c) => [c.kind, c.op, c.id ?? c.day ?? null].filter((x) => x !== null).join(" "));

describe("GET /v1/changes", () => {
  it("starts empty, then lists every kind of change in the order the server stored it", async () => {
    const user = await newUser("feed");
    const empty = await feed(user);
    expect(empty.changes).toEqual([]);
    expect(empty.hasMore).toBe(false);

    const [session] = await create(user, "/v1/session", [activityItem()]);
    const [checkin] = await create(user, "/v1/checkin", [checkinItem()]);
    const [answer] = await create(user, "/v1/day-feedback", [dayFeedbackItem()]);
    await uploadDay(user, DAY0 + 3600);
    expect((await call("PUT", "/v1/user/settings", { token: user.access, body: { settings: { a: 1 } } })).status).toBe(
      200,
    );
    expect((await call("PUT", "/v1/user", { token: user.access, body: { first_name: "Sandy" } })).status).toBe(200);

    const page = await feed(user);
    expect(summary(page.changes)).toEqual([
      `session upsert ${session}`,
      `checkin upsert ${checkin}`,
      `day_feedback upsert ${answer}`,
      `measurement_day upsert ${isoDay(DAY0)}`,
      "settings upsert",
      "profile upsert",
    ]);
    expect(page.changes[3]).toMatchObject({ measurementType: "HEART_RATE", day: isoDay(DAY0) });
    for (const change of page.changes) expect(Date.parse(change.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(page.hasMore).toBe(false);
  });

  it("lists a thing changed again once, at its latest change, and nothing twice across cursors", async () => {
    const user = await newUser("feed");
    const [a, b] = await create(user, "/v1/session", [activityItem(), activityItem()]);
    const first = await feed(user);
    expect(summary(first.changes)).toEqual([`session upsert ${a}`, `session upsert ${b}`]);

    expect(await feed(user, `?cursor=${first.cursor}`)).toMatchObject({ changes: [], hasMore: false });
    expect((await call("PUT", `/v1/session/${a}`, { token: user.access, body: { type: 14 } })).status).toBe(200);
    const after = await feed(user, `?cursor=${first.cursor}`);
    expect(summary(after.changes)).toEqual([`session upsert ${a}`]);
    // From the beginning, `a` now sits after `b`: a thing appears once, where it last changed.
    expect(summary((await feed(user)).changes)).toEqual([`session upsert ${b}`, `session upsert ${a}`]);
  });

  it("pages with limit and hasMore, without losing or repeating a change", async () => {
    const user = await newUser("feed");
    const ids = await create(
      user,
      "/v1/checkin",
      Array.from({ length: 7 }, (_, i) => checkinItem({ datetime: `2024-03-2${i}T10:00:00Z` })),
    );
    const firstPage = await feed(user, "?limit=3");
    expect(firstPage.changes).toHaveLength(3);
    expect(firstPage.hasMore).toBe(true);
    const { changes } = await drain(user, undefined, 3);
    expect(changes.map((c) => c.id)).toEqual(ids);
  });

  it("puts a sample with an old datetime uploaded now after today's cursor", async () => {
    const user = await newUser("feed");
    await uploadDay(user, DAY0 + 10 * DAY);
    const { cursor } = await drain(user);
    const old = Date.UTC(2020, 0, 15, 6) / 1000;
    await uploadDay(user, old, 5);
    const late = await feed(user, `?cursor=${cursor}`);
    expect(late.changes).toEqual([
      expect.objectContaining({
        kind: "measurement_day",
        op: "upsert",
        measurementType: "HEART_RATE",
        day: "2020-01-15",
      }),
    ]);
  });

  it("leaves tombstones for deleted sessions, check-ins and measurement days", async () => {
    const user = await newUser("feed");
    const [session] = await create(user, "/v1/session", [activityItem()]);
    const [checkin] = await create(user, "/v1/checkin", [checkinItem()]);
    await uploadDay(user, DAY0);
    await uploadDay(user, DAY0 + DAY);
    const { cursor } = await drain(user);
    expect((await call("DELETE", `/v1/session/${session}`, { token: user.access })).status).toBe(200);
    expect((await call("DELETE", `/v1/checkin/${checkin}`, { token: user.access })).status).toBe(200);
    const query = `type=HEART_RATE&start_day=${isoDay(DAY0)}&end_day=${isoDay(DAY0 + DAY)}`;
    expect((await call("DELETE", `/v1/measurement?${query}`, { token: user.access })).status).toBe(200);
    const gone = await feed(user, `?cursor=${cursor}`);
    expect(summary(gone.changes)).toEqual([
      `session delete ${session}`,
      `checkin delete ${checkin}`,
      `measurement_day delete ${isoDay(DAY0)}`,
      `measurement_day delete ${isoDay(DAY0 + DAY)}`,
    ]);
    // A delete of nothing records nothing.
    expect((await call("DELETE", `/v1/session/${session}`, { token: user.access })).status).toBe(404);
    expect((await feed(user, `?cursor=${gone.cursor}`)).changes).toEqual([]);
  });

  it("records nothing for a write that is refused", async () => {
    const user = await newUser("feed");
    const bad = await upload(user.access, "HEART_RATE", zipped(`${csv(heartRate(DAY0, 10))}not,a,row\n`));
    expect(bad.status).toBe(400);
    const badBatch = await call("POST", "/v1/session", { token: user.access, body: [activityItem(), { type: 12 }] });
    expect(badBatch.status).toBe(400);
    expect((await feed(user)).changes).toEqual([]);
  });

  it("answers 410 for a cursor older than the tombstones kept, and 400 for one it never issued", async () => {
    const user = await newUser("feed");
    const [session] = await create(user, "/v1/session", [activityItem()]);
    const before = (await feed(user)).cursor;
    expect((await call("DELETE", `/v1/session/${session}`, { token: user.access })).status).toBe(200);
    const after = (await feed(user)).cursor;
    // The tombstone ages past its retention and is pruned.
    await runInDurableObject(userStore(env, user.id), (_instance, state) => {
      state.storage.sql.exec("UPDATE changes SET at = '2020-01-01T00:00:00.000Z' WHERE op = 'delete'");
      expect(pruneTombstones(state.storage.sql, new Date(Date.now() - 90 * 86_400_000).toISOString())).toBe(1);
    });
    const stale = await call("GET", `/v1/changes?cursor=${before}`, { token: user.access });
    expectError(stale, 410);
    // A cursor past the pruned tombstone has missed nothing, and a resync without a cursor always works.
    expect((await feed(user, `?cursor=${after}`)).changes).toEqual([]);
    expect((await feed(user)).changes).toEqual([]);

    // A cursor issued more than 90 days ago is too old, whatever was pruned.
    const ancient = encodeCursor(user.id, { seq: 1, issuedAt: Math.floor(Date.now() / 1000) - 91 * 86_400 });
    expectError(await call("GET", `/v1/changes?cursor=${ancient}`, { token: user.access }), 410);

    const other = await newUser("feed");
    for (const cursor of ["garbage!", "bm90LWEtY3Vyc29y", (await feed(other)).cursor]) {
      expectError(await call("GET", `/v1/changes?cursor=${cursor}`, { token: user.access }), 400);
    }
    const ahead = encodeCursor(user.id, { seq: 10_000, issuedAt: Math.floor(Date.now() / 1000) });
    expectError(await call("GET", `/v1/changes?cursor=${ahead}`, { token: user.access }), 400);
    for (const limit of ["0", "1001", "x"]) {
      expectError(await call("GET", `/v1/changes?limit=${limit}`, { token: user.access }), 400);
    }
  });

  it("is only for an authenticated caller", async () => {
    expectError(await call("GET", "/v1/changes"), 401);
  });
});

describe("GET /v1/changes through a share", () => {
  it("shows only the share's kinds and types, from sharedSince on, never the owner's own account", async () => {
    const owner = await newUser("owner");
    const viewer = await newUser("viewer");
    await share(owner, viewer, { shareSince: "2024-03-01T00:00:00Z", types: ["SESSIONS", "HEART_RATE"] });
    const [early, late] = await create(owner, "/v1/session", [
      activityItem({ start_datetime: "2024-02-10T10:00:00Z", end_datetime: "2024-02-10T11:00:00Z" }),
      activityItem(),
    ]);
    await create(owner, "/v1/checkin", [checkinItem()]);
    await uploadDay(owner, Date.UTC(2024, 1, 10) / 1000); // before sharedSince
    await uploadDay(owner, Date.UTC(2024, 2, 20) / 1000);
    await call("PUT", "/v1/user/settings", { token: owner.access, body: { settings: { secret: true } } });

    const seen = await drain(viewer, undefined, 1000, asViewer(viewer, owner));
    expect(summary(seen.changes)).toEqual([`session upsert ${late}`, "measurement_day upsert 2024-03-20"]);
    expect(summary((await drain(owner)).changes)).toEqual(
      expect.arrayContaining([`session upsert ${early}`, "settings upsert", `share upsert ${viewer.id}`]),
    );

    // The owner moves the visible session before sharedSince: to the viewer it is gone.
    const moved = await call("PUT", `/v1/session/${late}`, {
      token: owner.access,
      body: { start_datetime: "2024-02-01T10:00:00Z", end_datetime: "2024-02-01T11:00:00Z" },
    });
    expect(moved.status, moved.text).toBe(200);
    const next = await feed(viewer, `?cursor=${seen.cursor}`, asViewer(viewer, owner));
    expect(summary(next.changes)).toEqual([`session delete ${late}`]);
    expect(summary((await drain(owner)).changes)).toContain(`session upsert ${late}`);

    // The read is in the owner's access log.
    const log = await call<{ entries: { dataType: string; path: string; viewerId: string }[] }>(
      "GET",
      "/v1/sharing/access-log",
      { token: owner.access },
    );
    expect(log.body.entries[0]).toMatchObject({ dataType: "CHANGES", path: "/v1/changes", viewerId: viewer.id });
  });

  it("answers 403 to a stranger and to a share that grants nothing the feed carries", async () => {
    const owner = await newUser("owner");
    const stranger = await newUser("stranger");
    await create(owner, "/v1/session", [activityItem()]);
    expectError(await call("GET", "/v1/changes", asViewer(stranger, owner)), 403);
    const statsOnly = await newUser("viewer");
    await share(owner, statsOnly, { types: ["STATISTICS"] });
    expectError(await call("GET", "/v1/changes", asViewer(statsOnly, owner)), 403);
    expectError(await call("GET", "/v1/changes", { token: stranger.access, headers: { "shared-user": "nope" } }), 400);
    // A cursor of the owner's own feed does not open it to anyone else.
    const ownCursor = (await feed(owner)).cursor;
    expectError(await call("GET", `/v1/changes?cursor=${ownCursor}`, asViewer(stranger, owner)), 403);
  });

  it("tells both users of a change to their sharing, each naming the other", async () => {
    const owner = await newUser("owner");
    const viewer = await newUser("viewer");
    const ownerCursor = (await feed(owner)).cursor;
    const viewerCursor = (await feed(viewer)).cursor;
    await share(owner, viewer);
    expect(summary((await feed(owner, `?cursor=${ownerCursor}`)).changes)).toEqual([`share upsert ${viewer.id}`]);
    expect(summary((await feed(viewer, `?cursor=${viewerCursor}`)).changes)).toEqual([`share upsert ${owner.id}`]);
    const stopped = await call("DELETE", "/v1/sharing", { token: owner.access, body: { email: viewer.email } });
    expect(stopped.status, stopped.text).toBe(200);
    expect(summary((await feed(viewer, `?cursor=${viewerCursor}`)).changes)).toEqual([`share delete ${owner.id}`]);
  });
});
