import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AccessLogPageSchema } from "../../../src/routes/sharing/access-log";
import { type AccessRecord, listAccess, recordAccess } from "../../../src/user-store/access-log";
import { userStore } from "../../../src/user-store/user-store";
import { SINCE, share } from "../../fixtures/sharing";
import { call, expectError, expectSchema, newUser, type TestUser } from "../../helpers";

/**
 * The owner's access log (docs/sharing.md "Access log"): written by each shared read in the owner's UserStore, in
 * the RPC that serves the data; kept a bounded time; a deleted viewer shown under a pseudonym.
 */

const accessLog = async (user: TestUser, query = "") => {
  const res = await call("GET", `/v1/sharing/access-log${query}`, { token: user.access });
  expect(res.status, res.text).toBe(200);
  return expectSchema(AccessLogPageSchema, res.body);
};

const UUID = "5f0c1d52-8a4e-4a4e-9a57-2f7f1f0b6a11";

/** Every route that reads personal data, with the data type and range its log entry names. */
const READS: { path: string; dataType: string; rangeStart: string | null; rangeEnd: string | null; status: number }[] =
  [
    {
      path: "/v1/measurement?type=HEART_RATE&sort=ASC&start_day=2024-02-01&end_day=2024-02-02",
      dataType: "HEART_RATE",
      rangeStart: "2024-02-01",
      rangeEnd: "2024-02-02",
      status: 200,
    },
    {
      path: "/v1/measurement/series?type=TEMPERATURE&start=2024-02-01&end=2024-02-02&resolution=1h",
      dataType: "TEMPERATURE",
      rangeStart: "2024-02-01",
      rangeEnd: "2024-02-02",
      status: 200,
    },
    ...["/v1/session", "/v1/activity", "/v1/intention"].flatMap((base) => [
      {
        path: `${base}?start_date=2024-02-01&end_date=2024-02-02`,
        dataType: "SESSIONS",
        rangeStart: "2024-02-01",
        rangeEnd: "2024-02-02",
        status: 200,
      },
      { path: `${base}/${UUID}`, dataType: "SESSIONS", rangeStart: SINCE, rangeEnd: null, status: 404 },
    ]),
    {
      path: "/v1/checkin?start_day=2024-02-01&end_day=2024-02-02",
      dataType: "CHECKINS",
      rangeStart: "2024-02-01",
      rangeEnd: "2024-02-02",
      status: 200,
    },
    { path: `/v1/checkin/${UUID}`, dataType: "CHECKINS", rangeStart: SINCE, rangeEnd: null, status: 404 },
    {
      path: "/v1/day-feedback?start_day=2024-02-01&end_day=2024-02-02",
      dataType: "DAY_FEEDBACK",
      rangeStart: "2024-02-01",
      rangeEnd: "2024-02-02",
      status: 200,
    },
    {
      path: "/v2/insight?start_day=2024-02-01&end_day=2024-02-02",
      dataType: "INSIGHTS",
      rangeStart: "2024-02-01",
      rangeEnd: "2024-02-02",
      status: 200,
    },
  ];

describe("every shared read is in the owner's log", () => {
  it.each(READS)("$path records one entry ($dataType) in the owner's store, and own reads none", async (read) => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const own = await call("GET", read.path, { token: alice.access });
    expect(own.status, own.text).toBe(read.status);
    expect((await accessLog(alice)).entries).toEqual([]);

    const shared = await call("GET", read.path, { token: bob.access, headers: { "shared-user": alice.id } });
    expect(shared.status, shared.text).toBe(read.status);
    const { entries } = await accessLog(alice);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      viewerId: bob.id,
      viewerEmail: bob.email,
      dataType: read.dataType,
      path: read.path.split("?")[0],
      rangeStart: read.rangeStart,
      rangeEnd: read.rangeEnd,
    });
    expect(Math.abs(Date.parse(entries[0]?.at ?? "") - Date.now())).toBeLessThan(60_000);
    expect((await accessLog(bob)).entries).toEqual([]);
  });

  it("records a read whose range lies wholly before sharedSince (the viewer asked, and got nothing)", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const headers = { "shared-user": alice.id };
    const days = await call("GET", "/v1/measurement?type=HEART_RATE&sort=ASC&start_day=2023-01-01&end_day=2023-01-31", {
      token: bob.access,
      headers,
    });
    expect(days.status, days.text).toBe(200);
    expect(days.body).toEqual([]);
    const series = await call(
      "GET",
      "/v1/measurement/series?type=HEART_RATE&start=2023-01-01&end=2023-02-01&resolution=1d&aggregate=min,max",
      { token: bob.access, headers },
    );
    expect(series.status, series.text).toBe(200);
    expect(series.body).toMatchObject({ t: [], min: [], max: [] });
    const sessions = await call("GET", "/v1/session?start_date=2023-01-01&end_date=2023-01-31", {
      token: bob.access,
      headers,
    });
    expect(sessions.body).toEqual([]);
    const { entries } = await accessLog(alice);
    expect(entries.map((e) => [e.dataType, e.rangeStart, e.rangeEnd])).toEqual([
      ["SESSIONS", SINCE, "2023-01-31"],
      ["HEART_RATE", SINCE, "2023-02-01"],
      ["HEART_RATE", SINCE, "2023-01-31"],
    ]);
  });

  it("records nothing for a refused read (a type outside the share, or no share at all)", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const eve = await newUser("eve");
    await share(alice, bob, { types: ["SESSIONS"] });
    const path = "/v1/checkin?start_day=2024-02-01&end_day=2024-02-02";
    expectError(await call("GET", path, { token: bob.access, headers: { "shared-user": alice.id } }), 403);
    expectError(await call("GET", path, { token: eve.access, headers: { "shared-user": alice.id } }), 403);
    expect((await accessLog(alice)).entries).toEqual([]);
  });
});

describe("paging", () => {
  it("pages newest first with a cursor or an offset, the cursor stable while new entries arrive", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const read = (path: string) => call("GET", path, { token: bob.access, headers: { "shared-user": alice.id } });
    for (const type of ["HEART_BEAT", "HEART_RATE", "TEMPERATURE"]) {
      await read(`/v1/measurement?type=${type}&sort=ASC&start_day=2024-02-01&end_day=2024-02-02`);
    }
    await read("/v1/session?start_date=2024-02-01&end_date=2024-02-02");
    await read("/v1/checkin?start_day=2024-02-01&end_day=2024-02-02");

    const all = await accessLog(alice, "?limit=100");
    expect(all.entries.map((e) => e.dataType)).toEqual([
      "CHECKINS",
      "SESSIONS",
      "TEMPERATURE",
      "HEART_RATE",
      "HEART_BEAT",
    ]);
    const times = all.entries.map((e) => Date.parse(e.at));
    expect(times).toEqual(times.toSorted((a, b) => b - a));

    const first = await accessLog(alice, "?limit=2");
    // A read arriving between pages does not shift the next page.
    await read("/v2/insight?start_day=2024-02-01&end_day=2024-02-02");
    const paged = [...first.entries];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await accessLog(alice, `?limit=2&cursor=${cursor}`);
      expect(page.entries.length).toBeLessThanOrEqual(2);
      paged.push(...page.entries);
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(all.entries);

    const byOffset = await accessLog(alice, "?limit=2&offset=3");
    expect(byOffset.entries).toEqual(all.entries.slice(2, 4));
  });

  it.each([
    ["limit over 100", "?limit=101"],
    ["limit 0", "?limit=0"],
    ["negative offset", "?offset=-1"],
    ["a cursor that is not ours", "?cursor=bm9wZQ"],
    ["a cursor of the wrong shape", `?cursor=${btoa(JSON.stringify(["2024", "a"])).replaceAll("=", "")}`],
    ["both cursor and offset", "?offset=1&cursor=WyIyMDI0IiwiYSJd"],
  ])("refuses %s with 400", async (_name, query) => {
    const alice = await newUser("alice");
    expectError(await call("GET", `/v1/sharing/access-log${query}`, { token: alice.access }), 400, "VALIDATION_FAILED");
  });
});

describe("retention", () => {
  it("drops entries older than 400 days as new ones arrive, and keeps the rest", async () => {
    const alice = await newUser("alice");
    const entry: AccessRecord = {
      viewerId: "uid_x",
      dataType: "HEART_RATE",
      path: "/v1/measurement",
      rangeStart: null,
      rangeEnd: null,
    };
    const now = Date.parse("2026-06-01T00:00:00.000Z");
    const daysAgo = (days: number) => new Date(now - days * 86_400_000);
    await runInDurableObject(userStore(env, alice.id), (_instance, state) => {
      const sql = state.storage.sql;
      recordAccess(sql, { ...entry, dataType: "OLDEST" }, daysAgo(401), 400);
      recordAccess(sql, { ...entry, dataType: "KEPT" }, daysAgo(399), 400);
      expect(listAccess(sql, { limit: 10, offset: 0 }).map((e) => e.dataType)).toEqual(["KEPT", "OLDEST"]);
      recordAccess(sql, { ...entry, dataType: "NEW" }, daysAgo(0), 400);
      expect(listAccess(sql, { limit: 10, offset: 0 }).map((e) => e.dataType)).toEqual(["NEW", "KEPT"]);
    });
  });
});

describe("a viewer who deletes their account", () => {
  it("appears under a pseudonym: stable in one owner's log, different in another's, never their id or email", async () => {
    const alice = await newUser("alice");
    const carol = await newUser("carol");
    const bob = await newUser("bob");
    const dave = await newUser("dave");
    await share(alice, bob);
    await share(carol, bob);
    await share(alice, dave);
    const path = "/v1/checkin?start_day=2024-02-01&end_day=2024-02-02";
    for (const owner of [alice, alice, carol]) {
      await call("GET", path, { token: bob.access, headers: { "shared-user": owner.id } });
    }
    await call("GET", path, { token: dave.access, headers: { "shared-user": alice.id } });
    expect((await call("DELETE", "/v1/user", { token: bob.access })).status).toBe(200);

    const log = await accessLog(alice);
    expect(log.entries).toHaveLength(3);
    const [daveEntry, ...bobEntries] = log.entries;
    expect(daveEntry).toMatchObject({ viewerId: dave.id, viewerEmail: dave.email });
    const alias = bobEntries[0]?.viewerId ?? "";
    expect(alias).toMatch(/^deleted-[0-9a-f]{16}$/);
    for (const entry of bobEntries) {
      expect(entry).toMatchObject({ viewerId: alias, viewerEmail: `${alias}@deleted.invalid`, dataType: "CHECKINS" });
    }
    const carolLog = await accessLog(carol);
    expect(carolLog.entries).toHaveLength(1);
    expect(carolLog.entries[0]?.viewerId).toMatch(/^deleted-[0-9a-f]{16}$/);
    expect(carolLog.entries[0]?.viewerId).not.toBe(alias);
    const text = JSON.stringify([log, carolLog]);
    expect(text).not.toContain(bob.id);
    expect(text).not.toContain(bob.email);
  });
});
