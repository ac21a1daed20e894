import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEV_ADMIN } from "../../../src/config";
import { ensureDevAccounts } from "../../../src/dev/bootstrap";
import { TokenPairSchema } from "../../../src/routes/auth/schemas";
import { call, expectError, expectSchema, newUser, uniqueEmail } from "../../helpers";

describe("POST /v2/auth/login", () => {
  it("answers 201 with access, refresh and expiresIn 3600", async () => {
    const user = await newUser();
    const res = await call("POST", "/v2/auth/login", { body: { email: user.email, password: user.password } });
    expect(res.status, res.text).toBe(201);
    const pair = expectSchema(TokenPairSchema, res.body);
    expect(pair.expiresIn).toBe(3600);
    expect((await call("GET", "/v1/user", { token: pair.access })).status).toBe(200);
  });

  it("is case-insensitive on the email", async () => {
    const user = await newUser();
    const res = await call("POST", "/v2/auth/login", {
      body: { email: user.email.toUpperCase(), password: user.password },
    });
    expect(res.status, res.text).toBe(201);
  });

  it("gives the same 401 for a wrong password and an unknown email", async () => {
    const user = await newUser();
    const wrong = await call("POST", "/v2/auth/login", { body: { email: user.email, password: "Wrong-Passw0rd!" } });
    const unknown = await call("POST", "/v2/auth/login", { body: { email: uniqueEmail(), password: user.password } });
    expectError(wrong, 401, "UNAUTHORIZED");
    expectError(unknown, 401, "UNAUTHORIZED");
    expect(wrong.body.message).toEqual(unknown.body.message);
  });

  it("refuses missing fields and wrong types with 400", async () => {
    expectError(await call("POST", "/v2/auth/login", { body: { email: "a@b.co" } }), 400, "VALIDATION_FAILED");
    expectError(await call("POST", "/v2/auth/login", { body: { email: 1, password: "x" } }), 400, "VALIDATION_FAILED");
    expectError(await call("POST", "/v2/auth/login", { body: [] }), 400, "VALIDATION_FAILED");
  });

  it("requires the app-client header", async () => {
    const user = await newUser();
    const res = await call("POST", "/v2/auth/login", {
      body: { email: user.email, password: user.password },
      appToken: null,
    });
    expectError(res, 401);
  });
});

describe("POST /v1/auth/login (deprecated)", () => {
  it("behaves as v2", async () => {
    const user = await newUser();
    const res = await call("POST", "/v1/auth/login", { body: { email: user.email, password: user.password } });
    expect(res.status, res.text).toBe(201);
    expectSchema(TokenPairSchema, res.body);
  });

  it("says it is deprecated on every answer (RFC 9745), with a link to POST /v2/auth/login", async () => {
    const user = await newUser();
    const ok = await call("POST", "/v1/auth/login", { body: { email: user.email, password: user.password } });
    const wrong = await call("POST", "/v1/auth/login", { body: { email: user.email, password: "Wrong-Passw0rd!" } });
    const invalid = await call("POST", "/v1/auth/login", { body: { email: 1 } });
    const prefixed = await call("POST", "/nowatch/v1/auth/login", {
      body: { email: user.email, password: user.password },
    });
    for (const [res, status, link] of [
      [ok, 201, "</v2/auth/login>"],
      [wrong, 401, "</v2/auth/login>"],
      [invalid, 400, "</v2/auth/login>"],
      [prefixed, 201, "</nowatch/v2/auth/login>"],
    ] as const) {
      expect(res.status, res.text).toBe(status);
      expect(res.headers.get("deprecation")).toBe("@1795564800");
      expect(res.headers.get("link")).toBe(`${link}; rel="successor-version"`);
    }
    const current = await call("POST", "/v2/auth/login", { body: { email: user.email, password: user.password } });
    expect(current.headers.get("deprecation")).toBeNull();
    expect(current.headers.get("link")).toBeNull();
  });
});

describe("POST /v2/auth/login/admin", () => {
  it("logs the local admin in", async () => {
    await ensureDevAccounts(env);
    const res = await call("POST", "/v2/auth/login/admin", { body: DEV_ADMIN });
    expect(res.status, res.text).toBe(201);
    expectSchema(TokenPairSchema, res.body);
  });

  it("refuses an account that is not an admin with 401", async () => {
    const user = await newUser();
    const res = await call("POST", "/v2/auth/login/admin", { body: { email: user.email, password: user.password } });
    expectError(res, 401, "UNAUTHORIZED");
  });
});
