import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../../src/lib/errors";
import { TokenPairSchema } from "../../../src/routes/auth/schemas";
import {
  type CallResult,
  call,
  expectError,
  expectSchema,
  inline,
  newUser,
  openApiDoc,
  PASSWORD,
  uniqueEmail,
} from "../../helpers";

/*
 * Brute-force limits (docs/security.md "Brute-force limits"). Storage is shared within this file, so every test uses
 * its own emails and its own CF-Connecting-IP values; without the header only the account counter applies.
 */

const WRONG = "Wrong-Passw0rd!";
const NEW_PASSWORD = "N3w-Passw0rd!";

let ipCounter = 0;
/** A fresh client address from TEST-NET-3 (RFC 5737). */
const freshIp = () => `203.0.113.${++ipCounter}`;

const withIp = (ip: string | undefined) => (ip ? { "cf-connecting-ip": ip } : undefined);

const post = (path: string, body: unknown, ip?: string) => call("POST", path, { body, headers: withIp(ip) });
const login = (email: string, password: string, ip?: string, path = "/v2/auth/login") =>
  post(path, { email, password }, ip);
type Answer = Awaited<ReturnType<typeof post>>;

/** The 429 in the NOWATCH error body, with a `Retry-After` of 1..max whole seconds. */
function expectLimited(res: CallResult, maxSeconds: number): asserts res is CallResult<ErrorBody> {
  expectError(res, 429, "TOO_MANY_REQUESTS");
  const retryAfter = res.headers.get("retry-after");
  expect(retryAfter, res.text).toMatch(/^\d+$/);
  expect(Number(retryAfter), res.text).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter), res.text).toBeLessThanOrEqual(maxSeconds);
}

async function makeAdmin(userId: string) {
  await env.DB.prepare("UPDATE users SET is_admin = 1 WHERE id = ?").bind(userId).run();
}

async function mailsTo(email: string): Promise<string[]> {
  const rows = await env.DB.prepare(
    "SELECT body FROM mail_outbox WHERE to_address = ? AND kind = 'PASSWORD_RESET' ORDER BY created_at, rowid",
  )
    .bind(email)
    .all<{ body: string }>();
  return rows.results.map((r) => r.body);
}

async function latestCode(email: string): Promise<string> {
  const code = /\b(\d{6})\b/.exec((await mailsTo(email)).at(-1) ?? "")?.[1];
  expect(code, `no code mailed to ${email}`).toBeDefined();
  return code as string;
}

const otherCode = (code: string) => (code === "000000" ? "111111" : "000000");

describe("login: 10 failures per account in 15 minutes", () => {
  it.each([
    ["/v2/auth/login", false],
    ["/v1/auth/login", false],
    ["/v2/auth/login/admin", true],
  ] as const)(
    "%s: after 10 wrong passwords the 11th login is 429 with Retry-After, even with the right password",
    async (path, admin) => {
      const user = await newUser("limited");
      if (admin) await makeAdmin(user.id);
      for (let i = 0; i < 10; i++) expectError(await login(user.email, WRONG, undefined, path), 401, "UNAUTHORIZED");
      const right = await login(user.email, user.password, undefined, path);
      expectLimited(right, 15 * 60);
      expect(right.body.path).toBe(path);
    },
  );

  it("the three login operations share one counter", async () => {
    const user = await newUser("shared-counter");
    for (const path of ["/v2/auth/login", "/v1/auth/login", "/v2/auth/login/admin"]) {
      for (let i = 0; i < 3; i++) expectError(await login(user.email, WRONG, undefined, path), 401);
    }
    expectError(await login(user.email, WRONG, undefined, "/v2/auth/login/admin"), 401);
    expectLimited(await login(user.email, user.password, undefined, "/v1/auth/login"), 900);
  });

  it("a successful login empties the account counter", async () => {
    const user = await newUser("cleared");
    for (let i = 0; i < 9; i++) expectError(await login(user.email, WRONG), 401);
    expect((await login(user.email, user.password)).status).toBe(201);
    for (let i = 0; i < 9; i++) expectError(await login(user.email, WRONG), 401);
    const res = await login(user.email, user.password);
    expect(res.status, res.text).toBe(201);
    expectSchema(TokenPairSchema, res.body);
  });

  it("an unknown email is limited exactly like a known one (same statuses, same bodies)", async () => {
    const known = await newUser("known");
    const unknown = uniqueEmail("nobody");
    const run = async (email: string) => {
      const answers: Answer[] = [];
      for (let i = 0; i < 12; i++) answers.push(await login(email, i < 10 ? WRONG : PASSWORD));
      return answers;
    };
    const a = await run(known.email);
    const b = await run(unknown);
    expect(a.map((r) => r.status)).toEqual([...Array(10).fill(401), 429, 429]);
    expect(b.map((r) => r.status)).toEqual(a.map((r) => r.status));
    // Only the instant, the request id and the seconds to wait may differ.
    const shape = (r: Answer) => {
      expectError(r, r.status);
      return {
        ...r.body,
        message: r.body.message.map((m) => m.replace(/\d+/g, "N")),
        timestamp: "",
        requestId: "",
        retryAfter: r.headers.has("retry-after"),
      };
    };
    expect(b.map(shape)).toEqual(a.map(shape));
  });

  it("keys are built from the normalized email: case and surrounding spaces do not make a new counter", async () => {
    const user = await newUser("normalized");
    const variants = [user.email.toUpperCase(), ` ${user.email} `, user.email.replace(/^./, (c) => c.toUpperCase())];
    for (let i = 0; i < 10; i++) expectError(await login(variants[i % variants.length] as string, WRONG), 401);
    expectLimited(await login(user.email, user.password), 900);
  });

  it("invalid bodies answer 400 before anything is counted", async () => {
    const user = await newUser("invalid");
    const ip = freshIp();
    const bodies = [{ email: user.email }, { email: user.email, password: "" }, { email: "nope", password: WRONG }, []];
    for (let i = 0; i < 4; i++) {
      for (const body of bodies) expectError(await post("/v2/auth/login", body, ip), 400, "VALIDATION_FAILED");
    }
    const malformed = await call("POST", "/v2/auth/login", {
      raw: "{not json",
      contentType: "application/json",
      headers: withIp(ip),
    });
    expectError(malformed, 400);
    expect((await login(user.email, user.password, ip)).status).toBe(201);
    // Neither counter moved: 10 failures still fit before the limit.
    for (let i = 0; i < 10; i++) expectError(await login(user.email, WRONG, ip), 401);
    expectLimited(await login(user.email, user.password, ip), 900);
  });

  it("a stranger's failures lock account A by A's key only: A is refused everywhere, B is not", async () => {
    const a = await newUser("victim");
    const b = await newUser("bystander");
    const strangerIp = freshIp();
    for (let i = 0; i < 10; i++) expectError(await login(a.email, WRONG, strangerIp), 401);
    // The owner of A, from their own address, is locked out too: the documented cost (bounded by the 15-minute window).
    expectLimited(await login(a.email, a.password, freshIp()), 900);
    expect((await login(b.email, b.password, freshIp())).status).toBe(201);
    expect((await login(b.email, b.password)).status).toBe(201);
  });
});

describe("login: 10 failures per client IP in 15 minutes", () => {
  it("10 wrong logins across different emails from one CF-Connecting-IP, then 429 for any email from it", async () => {
    const ip = freshIp();
    const user = await newUser("ip-victim");
    for (let i = 0; i < 10; i++) expectError(await login(uniqueEmail("spray"), WRONG, ip), 401);
    expectLimited(await login(user.email, user.password, ip), 900);
    expectLimited(await login(uniqueEmail("spray"), WRONG, ip), 900);
    // Another address, and the same account from it, are not affected.
    expect((await login(user.email, user.password, freshIp())).status).toBe(201);
  });

  it("an IPv6 client is counted by its /64", async () => {
    const prefix = `2001:db8:${(++ipCounter).toString(16)}:1`;
    const user = await newUser("ipv6");
    for (let i = 0; i < 10; i++) expectError(await login(uniqueEmail("v6"), WRONG, `${prefix}::${i + 1}`), 401);
    expectLimited(await login(user.email, user.password, `${prefix}:ffff:ffff:ffff:ffff`), 900);
  });

  it("successful logins do not count against the IP, and do not empty it", async () => {
    const ip = freshIp();
    const user = await newUser("ip-success");
    for (let i = 0; i < 9; i++) expectError(await login(uniqueEmail("spray"), WRONG, ip), 401);
    for (let i = 0; i < 3; i++) expect((await login(user.email, user.password, ip)).status).toBe(201);
    expectError(await login(uniqueEmail("spray"), WRONG, ip), 401);
    expectLimited(await login(user.email, user.password, ip), 900);
  });
});

describe("forgot_password: 5 mails per account per hour, 20 per client IP", () => {
  it("the 6th reset mail within the hour is 429 with Retry-After and sends nothing", async () => {
    const user = await newUser("mail-bomb");
    for (let i = 0; i < 5; i++) {
      const res = await post("/v1/auth/forgot_password", { email: user.email });
      expect(res.status, res.text).toBe(201);
    }
    expectLimited(await post("/v1/auth/forgot_password", { email: user.email.toUpperCase() }), 3600);
    expect(await mailsTo(user.email)).toHaveLength(5);
  });

  it("an unknown email gets the same answers", async () => {
    const known = await newUser("mail-known");
    const unknown = uniqueEmail("mail-nobody");
    const statuses = async (email: string) => {
      const out: number[] = [];
      for (let i = 0; i < 7; i++) out.push((await post("/v1/auth/forgot_password", { email })).status);
      return out;
    };
    const a = await statuses(known.email);
    expect(a).toEqual([201, 201, 201, 201, 201, 429, 429]);
    expect(await statuses(unknown)).toEqual(a);
    expect(await mailsTo(unknown)).toHaveLength(0);
  });

  it("20 requests from one CF-Connecting-IP across emails, then 429 from it", async () => {
    const ip = freshIp();
    for (let i = 0; i < 20; i++) {
      expect((await post("/v1/auth/forgot_password", { email: uniqueEmail("mail-spray") }, ip)).status).toBe(201);
    }
    const user = await newUser("mail-ip");
    expectLimited(await post("/v1/auth/forgot_password", { email: user.email }, ip), 3600);
    expect(await mailsTo(user.email)).toHaveLength(0);
    expect((await post("/v1/auth/forgot_password", { email: user.email }, freshIp())).status).toBe(201);
  });

  it("invalid bodies answer 400 before anything is counted", async () => {
    const user = await newUser("mail-invalid");
    for (let i = 0; i < 6; i++) {
      expectError(await post("/v1/auth/forgot_password", { email: `${user.email}x@` }), 400, "VALIDATION_FAILED");
    }
    expect((await post("/v1/auth/forgot_password", { email: user.email })).status).toBe(201);
  });
});

describe("confirm_new_password: 10 wrong codes per account per hour across codes, 20 per client IP", () => {
  const confirm = (email: string, code: string, ip?: string) =>
    post("/v1/auth/confirm_new_password", { email, code, new_password: NEW_PASSWORD }, ip);

  it("10 wrong codes across two codes, then 429 even for a fresh, right code; the password stays", async () => {
    const user = await newUser("code-guess");
    for (let round = 0; round < 2; round++) {
      await post("/v1/auth/forgot_password", { email: user.email });
      const code = await latestCode(user.email);
      for (let i = 0; i < 5; i++) expectError(await confirm(user.email, otherCode(code)), 400, "VALIDATION_FAILED");
    }
    expect((await post("/v1/auth/forgot_password", { email: user.email })).status).toBe(201);
    const fresh = await latestCode(user.email);
    expectLimited(await confirm(user.email, fresh), 3600);
    expect((await login(user.email, PASSWORD)).status).toBe(201);
    expectError(await login(user.email, NEW_PASSWORD), 401);
  });

  it("an unknown email gets the same answers", async () => {
    const known = await newUser("code-known");
    const unknown = uniqueEmail("code-nobody");
    const statuses = async (email: string) => {
      const out: number[] = [];
      for (let i = 0; i < 11; i++) out.push((await confirm(email, "123456")).status);
      return out;
    };
    const a = await statuses(known.email);
    expect(a).toEqual([...Array(10).fill(400), 429]);
    expect(await statuses(unknown)).toEqual(a);
  });

  it("20 wrong codes from one CF-Connecting-IP across emails, then 429 from it", async () => {
    const ip = freshIp();
    for (let i = 0; i < 20; i++) expectError(await confirm(uniqueEmail("code-spray"), "123456", ip), 400);
    const user = await newUser("code-ip");
    await post("/v1/auth/forgot_password", { email: user.email });
    const code = await latestCode(user.email);
    expectLimited(await confirm(user.email, code, ip), 3600);
    expect((await confirm(user.email, code, freshIp())).status).toBe(201);
  });

  it("invalid bodies answer 400 before anything is counted", async () => {
    const user = await newUser("code-invalid");
    for (let i = 0; i < 11; i++) {
      const res = await post("/v1/auth/confirm_new_password", { email: user.email, code: "12345", new_password: "x" });
      expectError(res, 400, "VALIDATION_FAILED");
    }
    await post("/v1/auth/forgot_password", { email: user.email });
    expect((await confirm(user.email, await latestCode(user.email))).status).toBe(201);
  });
});

describe("OpenAPI", () => {
  it("every limited operation documents 429 with Retry-After; confirm_new_password also 503", async () => {
    const doc = await openApiDoc();
    const paths = [
      "/v2/auth/login",
      "/v1/auth/login",
      "/v2/auth/login/admin",
      "/v1/auth/forgot_password",
      "/v1/auth/confirm_new_password",
    ];
    for (const path of paths) {
      const operation = inline(doc.paths?.[path]?.post, `POST ${path}`);
      const responses = inline(operation.responses, `POST ${path} responses`);
      expect(Object.keys(responses), path).toContain("429");
      expect(Object.keys(inline(responses[429], `POST ${path} 429`).headers ?? {}), path).toEqual(["Retry-After"]);
      expect(operation.description, path).toMatch(/Brute-force limit/);
    }
    const confirm = inline(doc.paths?.["/v1/auth/confirm_new_password"]?.post, "POST /v1/auth/confirm_new_password");
    expect(Object.keys(confirm.responses ?? {})).toContain("503");
  });
});

describe("RateLimiter object", () => {
  const window = { limit: 3, windowSeconds: 60 };

  it("keeps its counter in storage: it survives the object being evicted", async () => {
    const name = `test:evict:${crypto.randomUUID()}`;
    const stub = env.RATE_LIMITER.getByName(name);
    for (let i = 0; i < 3; i++) expect((await stub.take(window)).allowed).toBe(true);
    await abortAllDurableObjects();
    expect(await env.RATE_LIMITER.getByName(name).take(window)).toMatchObject({ allowed: false });
  });

  it("its alarm deletes an expired counter and re-arms for a live one", async () => {
    const stub = env.RATE_LIMITER.getByName(`test:alarm:${crypto.randomUUID()}`);
    await stub.take(window);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // Still live: kept, and the alarm is set again.
    await runInDurableObject(stub, async (_o, state) => {
      expect(state.storage.kv.get("counter")).toBeDefined();
      expect(await state.storage.getAlarm()).not.toBeNull();
      state.storage.kv.put("counter", { windowSeconds: 60, hits: [Date.now() - 61_000] });
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runInDurableObject(stub, async (_o, state) => {
      expect(state.storage.kv.get("counter")).toBeUndefined();
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });

  it("refund gives one hit back; clear empties the counter", async () => {
    const stub = env.RATE_LIMITER.getByName(`test:refund:${crypto.randomUUID()}`);
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push(await stub.take(window));
    const first = taken[0];
    if (!first?.allowed) throw new Error("first take refused");
    await stub.refund(first.at);
    expect((await stub.take(window)).allowed).toBe(true);
    expect((await stub.take(window)).allowed).toBe(false);
    await stub.clear();
    expect((await stub.take(window)).allowed).toBe(true);
  });
});
