import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { requireUser } from "../../src/auth/middleware";
import { getDb } from "../../src/db";
import { findActiveShare } from "../../src/db/shares";
import { AccessLogPageSchema } from "../../src/routes/sharing/access-log";
import { lookupReadScope } from "../../src/sharing/lookup";
import { grantRead, loggedRangeStart, type ReadGrant, type ShareableDataType } from "../../src/sharing/policy";
import { authorizeRead, ownDataOnly, requireReader } from "../../src/sharing/read-scope";
import { userStore } from "../../src/user-store/user-store";
import { expireShare, SINCE, share } from "../fixtures/sharing";
import { type CallResult, call, expectError, expectSchema, newUser, type TestUser } from "../helpers";

/**
 * A test-only app: the real app factory (middleware, error handler) plus two probe routes that use the read scope
 * the way the data routes do. `types` lists the data types the route reads: one `authorizeRead` each, and one store
 * read carrying its access record, to show the share lookup runs once per request whatever the number of reads.
 */
const app = createApp();
app.get("/test/read", requireReader, async (c) => {
  const { types = "HEART_RATE", start, end } = c.req.query();
  const grants: ReadGrant[] = [];
  for (const dataType of types.split(",")) {
    const { grant, access } = authorizeRead(c, dataType as ShareableDataType, { start, end });
    await userStore(c.env, grant.ownerId).readMeasurementDays("HEART_RATE", 0, -1, "ASC", access);
    grants.push(grant);
  }
  const { ownerId, viewerId, viaShare, since } = grants[0] as ReadGrant;
  return c.json({ ownerId, viewerId, viaShare, since, start: loggedRangeStart(grants[0] as ReadGrant, start) });
});
app.post("/test/write", requireUser, ownDataOnly, (c) => c.json({ written: true }));

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

/** A grant answer of the probe route, or the NOWATCH error body. */
interface ProbeBody extends Partial<Pick<ReadGrant, "ownerId" | "viewerId" | "viaShare" | "since">> {
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
/** D1 writes of the request: a read writes nothing to D1 (its access record goes to the owner's store). */
const d1Writes = (r: ProbeResult) => r.statements.filter((s) => /^\s*(insert|update|delete)\b/i.test(s)).length;

const accessLog = async (user: TestUser, query = "") => {
  const res = await call("GET", `/v1/sharing/access-log${query}`, { token: user.access });
  expect(res.status, res.text).toBe(200);
  return expectSchema(AccessLogPageSchema, res.body);
};

/** The well-formed id of no one. */
const GHOST_ID = `uid_${"0".repeat(32)}${"A".repeat(32)}`;

describe("requireReader: own data", () => {
  it("reads the caller's own data without the header: no share lookup, nothing logged", async () => {
    const alice = await newUser("alice");
    const res = await probe("/test/read", alice);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ ownerId: alice.id, viewerId: alice.id, viaShare: false, since: null, start: null });
    expect(shareLookups(res)).toBe(0);
    expect(res.statements).toHaveLength(1);
    expect((await accessLog(alice)).entries).toEqual([]);
  });

  it("treats the caller's own id in shared-user as own data", async () => {
    const alice = await newUser("alice");
    const res = await probe("/test/read", alice, alice.id);
    expect(res.body).toMatchObject({ ownerId: alice.id, viaShare: false });
    expect(shareLookups(res)).toBe(0);
  });
});

describe("requireReader: through an accepted share", () => {
  it("reads the owner's data from sharedSince on: ONE D1 query per request, no D1 write, a log entry per read", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob);
    const res = await probe(
      "/test/read?types=HEART_RATE,TEMPERATURE,SESSIONS&start=2023-06-01&end=2024-02-01",
      bob,
      alice.id,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ ownerId: alice.id, viewerId: bob.id, viaShare: true, since: SINCE, start: SINCE });
    // The share check rides on the authentication query: one D1 read in all for the request, and no D1 write.
    expect(shareLookups(res)).toBe(1);
    expect(res.statements).toHaveLength(1);
    expect(d1Writes(res)).toBe(0);

    // Written by the reads themselves, in the owner's store: readable as soon as the response is.
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
    const refused = await probe("/test/read?types=TEMPERATURE", bob, alice.id);
    expectError(refused, 403, "FORBIDDEN");
    const ghost = await probe("/test/read", bob, GHOST_ID);
    expect(refused.body.message).toEqual(ghost.body.message);
    // Only the allowed read is in the owner's log.
    expect((await accessLog(alice)).entries.map((e) => e.dataType)).toEqual(["HEART_RATE"]);
  });
});

describe("requireReader: refusals", () => {
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
      expect(d1Writes(res)).toBe(0);
      answers.push({ message: res.body.message, error: res.body.error, statusCode: res.body.statusCode });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    for (const owner of [alice, carol, dave]) expect((await accessLog(owner)).entries).toEqual([]);
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

  it("authenticates before it judges the header: no token and a malformed header is still the 401", async () => {
    const res = await call("GET", "/v1/checkin?start_day=2024-01-01&end_day=2024-01-02", {
      headers: { "shared-user": "garbage" },
    });
    expectError(res, 401, "UNAUTHORIZED");
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

describe("ownDataOnly", () => {
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

describe("lookupReadScope and findActiveShare (outside a request)", () => {
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

  it("gives a job the same decisions as a request: the share's types, from sharedSince, and nothing once revoked", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    await share(alice, bob, { types: ["STATISTICS"] });
    const db = getDb(env.DB);
    const scope = await lookupReadScope(db, bob.id, alice.id);
    expect(grantRead(scope, "STATISTICS")).toMatchObject({ ownerId: alice.id, viaShare: true, since: SINCE });
    expect(grantRead(scope, "HEART_RATE")).toBeNull();
    expect(grantRead(await lookupReadScope(db, alice.id, alice.id), "HEART_RATE")?.viaShare).toBe(false);
    expect(grantRead(await lookupReadScope(db, alice.id, bob.id), "STATISTICS")).toBeNull();
    await call("DELETE", "/v1/sharing", { token: alice.access, body: { email: bob.email } });
    expect(grantRead(await lookupReadScope(db, bob.id, alice.id), "STATISTICS")).toBeNull();
  });
});
