import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { requireUser } from "../../src/auth/middleware";
import { getDb } from "../../src/db";
import { AccessLogPageSchema } from "../../src/routes/sharing/access-log";
import {
  clipRange,
  findActiveShare,
  isVisible,
  type ReadScope,
  refuseSharedWrite,
  resolveReadScope,
  SHAREABLE_DATA_TYPES,
} from "../../src/sharing/access";
import { type CallResult, call, expectError, expectSchema, newUser, type TestUser } from "../helpers";
import { expireShare, SINCE, share } from "./fixtures";

/**
 * A test-only app: the real app factory (middleware, error handler) plus two probe routes that use the access module
 * the way the measurement and session routes will. `types` lists the data types the route reads, one
 * resolveReadScope call each, to show the share lookup runs once per request.
 */
const app = createApp();
app.get("/test/read", requireUser, async (c) => {
  const { types = "HEART_RATE", start, end } = c.req.query();
  const scopes: ReadScope[] = [];
  for (const dataType of types.split(",")) {
    scopes.push(await resolveReadScope(c, { dataType, rangeStart: start, rangeEnd: end }));
  }
  const scope = scopes[0] as ReadScope;
  return c.json({ ...scope, start: clipRange(scope, start) ?? null });
});
app.post("/test/write", requireUser, (c) => {
  refuseSharedWrite(c);
  return c.json({ written: true });
});

/** env with a D1 that records each statement it prepares. */
function countingEnv(fail?: RegExp) {
  const statements: string[] = [];
  const DB = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "prepare") {
        return (query: string) => {
          statements.push(query);
          if (fail?.test(query)) throw new Error("D1 is down");
          return target.prepare(query);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { env: { ...env, DB }, statements };
}

/** A scope answer of the probe route, or the NOWATCH error body. */
interface ProbeBody extends Partial<ReadScope> {
  start?: string | null;
  message?: string[];
  error?: string;
  statusCode?: number;
}

interface ProbeResult extends CallResult<ProbeBody> {
  statements: string[];
}

async function probe(
  path: string,
  user: TestUser,
  sharedUser?: string,
  options: { method?: string; fail?: RegExp } = {},
): Promise<ProbeResult> {
  const headers = new Headers({ authorization: `Bearer ${user.access}` });
  if (sharedUser !== undefined) headers.set("shared-user", sharedUser);
  const ctx = createExecutionContext();
  const counted = countingEnv(options.fail);
  const response = await app.fetch(
    new Request(`http://localhost${path}`, { method: options.method ?? "GET", headers }),
    counted.env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await response.text();
  return {
    status: response.status,
    body: JSON.parse(text),
    headers: response.headers,
    text,
    statements: counted.statements,
  };
}

const shareLookups = (r: ProbeResult) => r.statements.filter((s) => /join "shares"|from "shares"/.test(s)).length;
/** D1 statements of the request apart from the access-log write: the caller's lookup, sharing it with the check. */
const reads = (r: ProbeResult) => r.statements.filter((s) => !/insert into "sharing_access_log"/.test(s)).length;
const logWrites = (r: ProbeResult) => r.statements.filter((s) => /insert into "sharing_access_log"/.test(s)).length;

const accessLog = async (user: TestUser, query = "") => {
  const res = await call("GET", `/v1/sharing/access-log${query}`, { token: user.access });
  expect(res.status, res.text).toBe(200);
  return expectSchema(AccessLogPageSchema, res.body);
};

/** The well-formed id of no one. */
const GHOST_ID = `uid_${"0".repeat(32)}${"A".repeat(32)}`;

describe("resolveReadScope: own data", () => {
  it("reads the caller's own data without the header: no share lookup, no log", async () => {
    const alice = await newUser("alice");
    const res = await probe("/test/read", alice);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ ownerId: alice.id, since: null, viaShare: false, types: null, start: null });
    expect(shareLookups(res)).toBe(0);
    expect(logWrites(res)).toBe(0);
  });

  it("treats the caller's own id in shared-user as own data", async () => {
    const alice = await newUser("alice");
    const res = await probe("/test/read", alice, alice.id);
    expect(res.body).toMatchObject({ ownerId: alice.id, viaShare: false });
    expect(shareLookups(res)).toBe(0);
  });
});

describe("resolveReadScope: through an accepted share", () => {
  it("reads the owner's data from sharedSince on, with ONE share query per request and a log row per read", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const res = await probe(
      "/test/read?types=HEART_RATE,TEMPERATURE,SESSIONS&start=2023-06-01&end=2024-02-01",
      bob,
      alice.id,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ ownerId: alice.id, since: SINCE, viaShare: true, types: null, start: SINCE });
    expect(shareLookups(res)).toBe(1);
    // The share check rides on the authentication query: one D1 read in all for the request.
    expect(reads(res)).toBe(1);
    // Three reads, one batched write (src/sharing/access-log-buffer.ts).
    expect(logWrites(res)).toBe(1);

    const log = await accessLog(alice);
    expect(log.entries.map((e) => e.dataType).toSorted()).toEqual(["HEART_RATE", "SESSIONS", "TEMPERATURE"]);
    expect(log.entries[0]).toMatchObject({
      viewerId: bob.id,
      viewerEmail: bob.email,
      path: "/test/read",
      rangeStart: SINCE,
      rangeEnd: "2024-02-01",
    });
    expect(log.nextCursor).toBeNull();
    // The log is the owner's: the viewer's own log is empty.
    expect((await accessLog(bob)).entries).toEqual([]);
  });

  it("cuts a range that starts before sharedSince, keeps one that starts after", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    expect((await probe("/test/read?start=2020-01-01T00:00:00Z", bob, alice.id)).body.start).toBe(SINCE);
    expect((await probe("/test/read?start=2024-03-05", bob, alice.id)).body.start).toBe("2024-03-05");
  });

  it("allows only the share's types when it is limited, with the same 403 as no share at all", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob, { types: ["HEART_RATE"] });
    const allowed = await probe("/test/read?types=HEART_RATE", bob, alice.id);
    expect(allowed.status, allowed.text).toBe(200);
    expect(allowed.body.types).toEqual(["HEART_RATE"]);
    const refused = await probe("/test/read?types=TEMPERATURE", bob, alice.id);
    expectError(refused, 403, "FORBIDDEN");
    const ghost = await probe("/test/read", bob, GHOST_ID);
    expect(refused.body.message).toEqual(ghost.body.message);
    expect(logWrites(refused)).toBe(0);
  });
});

describe("resolveReadScope: refusals", () => {
  it("gives unknown users, users who share nothing, pending and rejected invites the SAME 403", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const carol = await newUser("carol");
    const dave = await newUser("dave");
    await call("POST", "/v1/sharing/invite", { token: carol.access, body: { email: bob.email, shareSince: SINCE } });
    await call("POST", "/v1/sharing/invite", { token: dave.access, body: { email: bob.email, shareSince: SINCE } });
    await call("POST", "/v1/sharing/invite/reject", { token: bob.access, body: { email: dave.email } });
    const answers = [];
    for (const owner of [GHOST_ID, alice.id, carol.id, dave.id]) {
      const res = await probe("/test/read", bob, owner);
      expectError(res, 403, "FORBIDDEN");
      expect(logWrites(res)).toBe(0);
      answers.push({ message: res.body.message, error: res.body.error, statusCode: res.body.statusCode });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
  });

  it("is one-way: the owner cannot read the viewer's data", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    expectError(await probe("/test/read", alice, bob.id), 403, "FORBIDDEN");
  });

  it.each([
    ["an email", "alice@example.com"],
    ["a short id", "uid_123"],
    ["an empty value", ""],
    ["an id with a path", `uid_${"0".repeat(32)}${"A".repeat(31)}/`],
  ])("refuses a shared-user that is not a user id (%s) with 400", async (_name, value) => {
    const bob = await newUser("bob");
    const res = await probe("/test/read", bob, value);
    expectError(res, 400, "VALIDATION_FAILED");
    expect(shareLookups(res)).toBe(0);
  });

  it("refuses at once after the owner stops sharing, after the viewer removes it, and once it expired", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    const carol = await newUser("carol");
    await share(alice, bob);
    await share(alice, carol);
    await share(carol, bob, { expiresAt: "2099-01-01T00:00:00Z" });
    expect((await probe("/test/read", bob, alice.id)).status).toBe(200);
    expect((await probe("/test/read", carol, alice.id)).status).toBe(200);
    expect((await probe("/test/read", bob, carol.id)).status).toBe(200);

    await call("DELETE", "/v1/sharing", { token: alice.access, body: { email: bob.email } });
    expectError(await probe("/test/read", bob, alice.id), 403);
    await call("DELETE", "/v1/shared", { token: carol.access, body: { userId: alice.id } });
    expectError(await probe("/test/read", carol, alice.id), 403);
    await expireShare(carol, bob);
    expectError(await probe("/test/read", bob, carol.id), 403);
  });
});

describe("refuseSharedWrite", () => {
  it("refuses any write with shared-user (403), even with an accepted share; writes without it pass", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    for (const owner of [alice.id, GHOST_ID, "garbage", bob.id]) {
      expectError(await probe("/test/write", bob, owner, { method: "POST" }), 403, "FORBIDDEN");
    }
    const own = await probe("/test/write", bob, undefined, { method: "POST" });
    expect(own.status, own.text).toBe(200);
  });
});

describe("access log", () => {
  it("never fails the read: a failed log write is logged, not thrown", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await probe("/test/read", bob, alice.id, { fail: /insert into "sharing_access_log"/ });
      expect(res.status, res.text).toBe(200);
      const logged = errors.mock.calls.map((args) => String(args[0]));
      expect(
        logged.some((line) => line.includes('"event":"access_log_failed"')),
        logged.join("\n"),
      ).toBe(true);
    } finally {
      errors.mockRestore();
    }
    expect((await accessLog(alice)).entries).toEqual([]);
  });

  it("pages newest first with a cursor or an offset", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    await probe("/test/read?types=HEART_BEAT,HEART_RATE,TEMPERATURE", bob, alice.id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await probe("/test/read?types=SESSIONS,CHECKINS", bob, alice.id);

    const all = await accessLog(alice, "?limit=100");
    expect(all.entries).toHaveLength(5);
    expect(
      all.entries
        .slice(0, 2)
        .map((e) => e.dataType)
        .toSorted(),
    ).toEqual(["CHECKINS", "SESSIONS"]);
    const times = all.entries.map((e) => Date.parse(e.at));
    expect(times).toEqual(times.toSorted((a, b) => b - a));

    const paged = [];
    let cursor: string | null = null;
    do {
      const page = await accessLog(alice, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.entries.length).toBeLessThanOrEqual(2);
      paged.push(...page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.entries);

    const byOffset = await accessLog(alice, "?limit=2&offset=2");
    expect(byOffset.entries).toEqual(all.entries.slice(2, 4));
  });

  it.each([
    ["limit over 100", "?limit=101"],
    ["limit 0", "?limit=0"],
    ["negative offset", "?offset=-1"],
    ["a cursor that is not ours", "?cursor=bm9wZQ"],
    ["both cursor and offset", "?offset=1&cursor=WyIyMDI0IiwiYSJd"],
  ])("refuses %s with 400", async (_name, query) => {
    const alice = await newUser("alice");
    expectError(await call("GET", `/v1/sharing/access-log${query}`, { token: alice.access }), 400, "VALIDATION_FAILED");
  });
});

describe("findActiveShare (outside a request)", () => {
  it("returns the share while it is active and null once expired, revoked or absent", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob, { types: ["STATISTICS"], expiresAt: "2099-01-01T00:00:00Z" });
    const db = getDb(env.DB);
    expect(await findActiveShare(db, alice.id, bob.id)).toEqual({
      sharedSince: SINCE,
      types: ["STATISTICS"],
      expiresAt: "2099-01-01T00:00:00.000Z",
    });
    expect(await findActiveShare(db, alice.id, bob.id, new Date("2099-01-01T00:00:00Z"))).toBeNull();
    expect(await findActiveShare(db, bob.id, alice.id)).toBeNull();
    await call("DELETE", "/v1/sharing", { token: alice.access, body: { email: bob.email } });
    expect(await findActiveShare(db, alice.id, bob.id)).toBeNull();
  });
});

describe("clipRange and isVisible", () => {
  const own: ReadScope = { ownerId: "a", since: null, viaShare: false, types: null };
  const shared: ReadScope = { ownerId: "a", since: "2024-01-01T12:00:00.000Z", viaShare: true, types: null };
  it.each([
    [own, undefined, undefined],
    [own, "2020-01-01", "2020-01-01"],
    [shared, undefined, "2024-01-01T12:00:00.000Z"],
    [shared, "2023-12-31T23:00:00Z", "2024-01-01T12:00:00.000Z"],
    [shared, "2024-01-01", "2024-01-01T12:00:00.000Z"],
    [shared, "2024-01-02", "2024-01-02"],
    [shared, "not a date", "2024-01-01T12:00:00.000Z"],
  ])("clipRange(%o, %s) = %s", (scope, start, expected) => {
    expect(clipRange(scope, start)).toBe(expected);
  });

  it("hides what is strictly before since", () => {
    expect(isVisible(own, "1990-01-01T00:00:00Z")).toBe(true);
    expect(isVisible(shared, "2024-01-01T11:59:59.999Z")).toBe(false);
    expect(isVisible(shared, "2024-01-01T12:00:00.000Z")).toBe(true);
    expect(isVisible(shared, Date.parse("2024-01-02T00:00:00Z"))).toBe(true);
  });

  it("exports the fifteen shareable data types", () => {
    expect(SHAREABLE_DATA_TYPES).toHaveLength(15);
    expect(SHAREABLE_DATA_TYPES).toContain("MOTION_GRAPH");
    expect(SHAREABLE_DATA_TYPES).toContain("DAY_FEEDBACK");
  });
});
