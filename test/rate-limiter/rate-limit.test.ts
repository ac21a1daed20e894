import { describe, expect, it, vi } from "vitest";
import doc from "../../docs/security.md?raw";
import { ApiError } from "../../src/lib/errors";
import { RATE_LIMITS, type RateRuleName, type RateWindow } from "../../src/lib/limits";
import { type LimiterLookup, type LimiterStub, withLimit } from "../../src/rate-limiter/guard";
import { accountKey, clientNetwork, ipKey } from "../../src/rate-limiter/keys";
import { expiresAt, liveHits, refundHit, takeHit } from "../../src/rate-limiter/window";
import integrationTests from "../routes/auth/rate-limit.test.ts?raw";
import unitTests from "./rate-limit.test.ts?raw";

const W: RateWindow = { limit: 3, windowSeconds: 60 };
const T0 = 1_700_000_000_000;

/** Takes `n` hits one second apart from `start`. */
function fill(n: number, start = T0): number[] {
  let hits: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = takeHit(hits, W, start + i * 1000);
    expect(r.allowed).toBe(true);
    hits = r.hits;
  }
  return hits;
}

describe("sliding window (pure)", () => {
  it("allows up to the limit, then refuses without recording", () => {
    const hits = fill(3);
    const refused = takeHit(hits, W, T0 + 3000);
    expect(refused).toEqual({ allowed: false, hits, retryAfterSeconds: 57 });
  });

  it("Retry-After counts down to the instant the oldest hit ages out, and is at least 1", () => {
    const hits = fill(3);
    expect(takeHit(hits, W, T0 + 59_000)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(takeHit(hits, W, T0 + 59_999)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(takeHit(hits, W, T0 + 30_500)).toMatchObject({ allowed: false, retryAfterSeconds: 30 });
  });

  it("a hit stops counting exactly one window after it was taken (sliding, one slot at a time)", () => {
    const hits = fill(3);
    const freed = takeHit(hits, W, T0 + 60_000);
    expect(freed.allowed).toBe(true);
    expect(freed.hits).toEqual([T0 + 1000, T0 + 2000, T0 + 60_000]);
    // Full again: the next slot frees when the hit at T0+1s ages out.
    expect(takeHit(freed.hits, W, T0 + 60_000)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(liveHits(hits, W, T0 + 62_000)).toEqual([]);
  });

  it("with more live hits than a lowered limit, waits until enough have aged out", () => {
    const hits = fill(3);
    expect(takeHit(hits, { limit: 2, windowSeconds: 60 }, T0 + 3000)).toMatchObject({ retryAfterSeconds: 58 });
  });

  it("keeps hits sorted when the clock steps back", () => {
    const hits = fill(2);
    const r = takeHit(hits, W, T0 - 500);
    expect(r.hits).toEqual([T0 - 500, T0, T0 + 1000]);
  });

  it("refunds exactly one hit, and nothing for an unknown instant", () => {
    const hits = [T0, T0, T0 + 5];
    expect(refundHit(hits, T0)).toEqual([T0, T0 + 5]);
    expect(refundHit(hits, 42)).toEqual(hits);
  });

  it("expires when the newest hit ages out", () => {
    expect(expiresAt([T0, T0 + 1000], 60)).toBe(T0 + 61_000);
    expect(expiresAt([], 60)).toBeNull();
  });
});

describe("counter keys (pure)", () => {
  it("account keys are built from the normalized email", () => {
    expect(accountKey("login", "  Garry.The.Snail@Bikini-Bottom.COM ")).toBe(
      "acct:login:garry.the.snail@bikini-bottom.com",
    );
    expect(accountKey("resetMail", "A@B.co")).toBe(accountKey("resetMail", "a@b.co"));
    expect(accountKey("login", "a@b.co")).not.toBe(accountKey("resetCode", "a@b.co"));
    expect(ipKey("login", "203.0.113.7")).toBe("ip:login:203.0.113.7");
  });

  it.each([
    [undefined, null],
    ["", null],
    ["   ", null],
    ["203.0.113.7", "203.0.113.7"],
    [" 203.0.113.7 ", "203.0.113.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:DB8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["::ffff:198.51.100.4", "198.51.100.4"],
    ["::ffff:c633:6404", "198.51.100.4"],
    ["not an ip", "not an ip"],
    ["1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8:9"],
    ["1::2::3", "1::2::3"],
  ])("CF-Connecting-IP %j counts as %j", (header, network) => {
    expect(clientNetwork(header)).toBe(network);
  });

  it("caps an odd header's length", () => {
    expect(clientNetwork("x".repeat(500))?.length).toBe(64);
  });
});

describe("the rule table", () => {
  it("holds the documented numbers (docs/security.md)", () => {
    const table = Object.fromEntries(
      Object.entries(RATE_LIMITS).map(([name, r]) => [
        name,
        [r.account.limit, r.account.windowSeconds, r.ip.limit, r.ip.windowSeconds],
      ]),
    );
    expect(table).toEqual({
      login: [10, 900, 10, 900],
      resetMail: [5, 3600, 20, 3600],
      resetCode: [10, 3600, 20, 3600],
      verifyMail: [5, 3600, 20, 3600],
      verifyCode: [10, 3600, 20, 3600],
    });
  });
});

describe("docs/security.md", () => {
  const span = (seconds: number) => (seconds === 3600 ? "hour" : `${seconds / 60} min`);
  const flat = (text: string) => text.replace(/\s+/g, " ");

  it("states every rule with the table's numbers", () => {
    const rows = Object.entries(RATE_LIMITS).map(
      ([name, r]) =>
        new RegExp(
          `^\\| \`${name}\` \\|.*\\| ${r.account.limit} / ${span(r.account.windowSeconds)} \\| ${r.ip.limit} / ${span(r.ip.windowSeconds)} \\| ${r.whenUnavailable === "allow" ? "allow, logged" : "503"} \\|$`,
          "m",
        ),
    );
    expect(rows.filter((row) => !row.test(doc)).map(String)).toEqual([]);
  });

  it("cites only tests that exist", () => {
    const section = flat(doc.slice(doc.indexOf("### Tests that prove each limit"), doc.indexOf("### Adding")));
    const cited = [...section.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
    expect(cited.length).toBeGreaterThan(20);
    const sources = flat(integrationTests + unitTests);
    expect(cited.filter((name) => !sources.includes(name))).toEqual([]);
  });
});

/** In-memory limiters over the pure window with a settable clock; `broken` keys throw like an unreachable object. */
function fakeLimiters() {
  const clock = { now: T0 };
  const counters = new Map<string, number[]>();
  const broken = new Set<string>();
  const calls: string[] = [];
  const check = (key: string, op: string) => {
    calls.push(`${op} ${key}`);
    if (broken.has(key)) throw new Error("Durable Object is overloaded");
  };
  const lookup: LimiterLookup = (key): LimiterStub => ({
    async take(window) {
      check(key, "take");
      const r = takeHit(counters.get(key) ?? [], window, clock.now);
      if (!r.allowed) return { allowed: false, retryAfterSeconds: r.retryAfterSeconds };
      counters.set(key, r.hits);
      return { allowed: true, at: r.at };
    },
    async refund(at) {
      check(key, "refund");
      counters.set(key, refundHit(counters.get(key) ?? [], at));
    },
    async clear() {
      check(key, "clear");
      counters.delete(key);
    },
  });
  const count = (key: string) => counters.get(key)?.length ?? 0;
  return { clock, lookup, broken, calls, count };
}

const caller = (email: string, ip?: string) => ({ email, ip, requestId: "req-1" });
const fail = () => Promise.reject(new ApiError("UNAUTHORIZED", "Invalid email or password"));
const ok = () => Promise.resolve("ok");

async function status(promise: Promise<unknown>): Promise<number | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof ApiError) return error.status;
    throw error;
  }
}

describe("withLimit (guard over fake limiters)", () => {
  const ACCT = accountKey("login", "a@b.co");
  const IP = ipKey("login", "203.0.113.9");

  it("counts failures; once limited refuses before the attempt runs, with Retry-After; lets up after the window", async () => {
    const f = fakeLimiters();
    for (let i = 0; i < 10; i++) expect(await status(withLimit(f.lookup, "login", caller("a@b.co"), fail))).toBe(401);
    const attempt = vi.fn(ok);
    const error = await withLimit(f.lookup, "login", caller("A@B.co"), attempt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect((error as ApiError).headers["Retry-After"]).toBe("900");
    expect(attempt).not.toHaveBeenCalled();
    f.clock.now += 900_000;
    expect(await withLimit(f.lookup, "login", caller("a@b.co"), ok)).toBe("ok");
  });

  it("a success clears the login account counter but only gives back its own IP hit", async () => {
    const f = fakeLimiters();
    for (let i = 0; i < 9; i++) await status(withLimit(f.lookup, "login", caller("a@b.co", "203.0.113.9"), fail));
    expect([f.count(ACCT), f.count(IP)]).toEqual([9, 9]);
    await withLimit(f.lookup, "login", caller("a@b.co", "203.0.113.9"), ok);
    expect([f.count(ACCT), f.count(IP)]).toEqual([0, 9]);
  });

  it("a success on a code rule gives back its hit without clearing earlier failures", async () => {
    const f = fakeLimiters();
    const key = accountKey("resetCode", "a@b.co");
    for (let i = 0; i < 3; i++) await status(withLimit(f.lookup, "resetCode", caller("a@b.co"), fail));
    await withLimit(f.lookup, "resetCode", caller("a@b.co"), ok);
    expect(f.count(key)).toBe(3);
  });

  it("a requests rule counts successes too", async () => {
    const f = fakeLimiters();
    for (let i = 0; i < 5; i++) expect(await withLimit(f.lookup, "resetMail", caller("a@b.co"), ok)).toBe("ok");
    expect(await status(withLimit(f.lookup, "resetMail", caller("a@b.co"), ok))).toBe(429);
  });

  it("refused by one counter: the other counter's hit is given back", async () => {
    const f = fakeLimiters();
    for (let i = 0; i < 10; i++) await status(withLimit(f.lookup, "login", caller(`u${i}@b.co`, "203.0.113.9"), fail));
    expect(await status(withLimit(f.lookup, "login", caller("fresh@b.co", "203.0.113.9"), ok))).toBe(429);
    expect(f.count(accountKey("login", "fresh@b.co"))).toBe(0);
  });

  it("without CF-Connecting-IP only the account counter is used", async () => {
    const f = fakeLimiters();
    await status(withLimit(f.lookup, "login", caller("a@b.co"), fail));
    expect(f.calls).toEqual([`take ${ACCT}`]);
  });

  const table: { rule: RateRuleName; expected: number | "ok" }[] = [
    { rule: "login", expected: "ok" },
    { rule: "resetMail", expected: "ok" },
    { rule: "verifyMail", expected: "ok" },
    { rule: "resetCode", expected: 503 },
    { rule: "verifyCode", expected: 503 },
  ];
  it.each(table)("an unreachable limiter never answers 500: $rule → $expected", async ({ rule, expected }) => {
    const f = fakeLimiters();
    f.broken.add(accountKey(rule, "a@b.co"));
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const attempt = vi.fn(ok);
    expect(await status(withLimit(f.lookup, rule, caller("a@b.co", "203.0.113.9"), attempt))).toBe(expected);
    expect(attempt).toHaveBeenCalledTimes(expected === "ok" ? 1 : 0);
    const logged = JSON.parse(String(errors.mock.calls[0]?.[0]));
    expect(logged).toMatchObject({ event: "rate_limiter_unavailable", rule, scope: "account", phase: "take" });
    // A refused call gives its IP hit back.
    if (expected === 503) expect(f.count(ipKey(rule, "203.0.113.9"))).toBe(0);
    errors.mockRestore();
  });

  it("a limiter failing after a success is logged and does not fail the request", async () => {
    const f = fakeLimiters();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const attempt = vi.fn(async () => {
      f.broken.add(ACCT);
      return "ok";
    });
    expect(await withLimit(f.lookup, "login", caller("a@b.co"), attempt)).toBe("ok");
    expect(JSON.parse(String(errors.mock.calls[0]?.[0]))).toMatchObject({ phase: "clear" });
    errors.mockRestore();
  });
});
