import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectError, registration, uniqueEmail } from "../../helpers";

const countUsers = async (email: string) =>
  (
    await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE email = ?")
      .bind(email.toLowerCase())
      .first<{ n: number }>()
  )?.n;

describe("POST /v1/auth/register", () => {
  it("creates an account and answers 201 { status: success }", async () => {
    const reg = registration();
    const res = await call("POST", "/v1/auth/register", { body: reg });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({ status: "success" });
    expect(await countUsers(reg.email)).toBe(1);
  });

  it("answers 409 for an email already registered, in any letter case", async () => {
    const reg = registration();
    expect((await call("POST", "/v1/auth/register", { body: reg })).status).toBe(201);
    const again = await call("POST", "/v1/auth/register", { body: { ...reg, email: reg.email.toUpperCase() } });
    expectError(again, 409, "CONFLICT");
    expect(await countUsers(reg.email)).toBe(1);
  });

  const invalid: [string, Record<string, unknown>][] = [
    ["missing email", { email: undefined }],
    ["malformed email", { email: "not-an-email" }],
    ["email over 254 characters", { email: `${"a".repeat(250)}@example.com` }],
    ["password too short", { password: "Ab1!" }],
    ["password over 99 characters", { password: `Aa1!${"x".repeat(96)}` }],
    ["password without uppercase", { password: "bigbob27!" }],
    ["password without lowercase", { password: "BIGBOB27!" }],
    ["password without digit", { password: "BigBobby!" }],
    ["password without special character", { password: "BigBob277" }],
    ["empty first_name", { first_name: "" }],
    ["first_name over 150 characters", { first_name: "x".repeat(151) }],
    ["last_name of wrong type", { last_name: 42 }],
    ["toc_accepted_at not ISO-8601", { toc_accepted_at: "yesterday" }],
    ["privacy_policy_accepted_at missing", { privacy_policy_accepted_at: undefined }],
    ["toc_accepted_at in 2999", { toc_accepted_at: "2999-01-01T00:00:00Z" }],
    ["privacy_policy_accepted_at in 2999", { privacy_policy_accepted_at: "2999-01-01T00:00:00Z" }],
    ["toc_accepted_at two days ahead", { toc_accepted_at: new Date(Date.now() + 2 * 86_400_000).toISOString() }],
    ["toc_accepted_at before 2015", { toc_accepted_at: "2014-12-31T23:59:59Z" }],
    ["privacy_policy_accepted_at in year 1", { privacy_policy_accepted_at: "0001-01-01T00:00:00Z" }],
  ];
  for (const [name, patch] of invalid) {
    it(`refuses ${name} with 400 and stores nothing`, async () => {
      const reg = { ...registration(), ...patch };
      const res = await call("POST", "/v1/auth/register", { body: reg });
      expectError(res, 400, "VALIDATION_FAILED");
      if (typeof reg.email === "string") expect(await countUsers(reg.email)).toBe(0);
    });
  }

  it("accepts acceptance times from 2015 on, up to a day of clock skew ahead, and says why it refuses others", async () => {
    const soon = new Date(Date.now() + 12 * 3_600_000).toISOString();
    for (const at of ["2015-01-01T00:00:00Z", "2024-07-01T12:34:56+02:00", new Date().toISOString(), soon]) {
      const res = await call("POST", "/v1/auth/register", {
        body: { ...registration(), toc_accepted_at: at, privacy_policy_accepted_at: at },
      });
      expect(res.status, `${at}: ${res.text}`).toBe(201);
    }
    const late = await call("POST", "/v1/auth/register", {
      body: { ...registration(), toc_accepted_at: "2999-01-01T00:00:00Z" },
    });
    expectError(late, 400, "VALIDATION_FAILED");
    expect(late.body.message).toEqual(["toc_accepted_at: must be from 2015-01-01 to at most one day from now"]);
  });

  it("accepts every special character of the contract's register set", async () => {
    for (const special of "^$*.[]{}()?-!@#%&/,><:;|_~+") {
      const res = await call("POST", "/v1/auth/register", { body: registration(uniqueEmail(), `BigBob27${special}`) });
      expect(res.status, `${special}: ${res.text}`).toBe(201);
    }
  });

  it("refuses malformed JSON with 400", async () => {
    const res = await call("POST", "/v1/auth/register", { raw: '{"email":', contentType: "application/json" });
    expectError(res, 400, "MALFORMED_JSON");
  });

  it("refuses a non-JSON content type with 415", async () => {
    const reg = registration();
    const res = await call("POST", "/v1/auth/register", { raw: JSON.stringify(reg), contentType: "text/plain" });
    expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
    expect(await countUsers(reg.email)).toBe(0);
  });

  it("refuses a body over 1 MB with 413", async () => {
    const reg = { ...registration(), padding: "x".repeat(1024 * 1024 + 10) };
    const res = await call("POST", "/v1/auth/register", { body: reg });
    expectError(res, 413, "PAYLOAD_TOO_LARGE");
    expect(await countUsers(reg.email)).toBe(0);
  });

  const badAppTokens: [string, string | null][] = [
    ["missing", null],
    ["not base64", "%%%"],
    ["without a separator", btoa("dev-secret")],
    ["of an unknown client", btoa("dev-secret+other-app")],
    ["with a wrong secret", btoa("wrong+nowatch-dev")],
  ];
  for (const [name, appToken] of badAppTokens) {
    it(`refuses an x-auth-token ${name} with 401`, async () => {
      const reg = registration();
      const res = await call("POST", "/v1/auth/register", { body: reg, appToken });
      expectError(res, 401, "UNAUTHORIZED");
      expect(await countUsers(reg.email)).toBe(0);
    });
  }
});
