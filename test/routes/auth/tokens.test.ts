import { env } from "cloudflare:workers";
import { importJWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { signingJwk } from "../../../src/config";
import { fromBase64Url, toBase64Url, utf8 } from "../../../src/lib/encoding";
import { LIMITS } from "../../../src/lib/limits";
import { call, expectError, expectTokens, newUser, sessionFor } from "../../helpers";

async function forge(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
  options: { expiresIn?: string | number } = {},
) {
  const key = await importJWK(signingJwk(env), "ES256");
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "nowatch-dev-1", ...header } as { alg: string })
    .setIssuedAt(typeof claims.iat === "number" ? claims.iat : undefined)
    .setJti(crypto.randomUUID())
    .setExpirationTime(options.expiresIn ?? "1h");
  return jwt.sign(key);
}

const me = (token: string) => call("GET", "/v1/user", { token });

/** The session id (`sid`) inside an access token. */
const sessionOf = (token: string): string =>
  JSON.parse(new TextDecoder().decode(fromBase64Url(token.split(".")[1] ?? ""))).sid;

describe("bearer access tokens", () => {
  it("accepts a well-formed token of a live session", async () => {
    const user = await newUser();
    const sid = sessionOf(user.access);
    const token = await forge({ sub: user.id, ver: 0, sid, iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE });
    expect((await me(token)).status).toBe(200);
  });

  it("refuses a well-signed token whose session does not exist", async () => {
    const user = await newUser();
    const token = await forge({ sub: user.id, ver: 0, sid: "s", iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE });
    expectError(await me(token), 401, "UNAUTHORIZED");
  });

  it("refuses a token issued in the future beyond the clock skew, and accepts one within it", async () => {
    const user = await newUser();
    const sid = sessionOf(user.access);
    const base = { sub: user.id, ver: 0, sid, iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE };
    const now = Math.floor(Date.now() / 1000);
    const yearAhead = await forge({ ...base, iat: now + 365 * 86_400 }, {}, { expiresIn: now + 366 * 86_400 });
    expectError(await me(yearAhead), 401, "UNAUTHORIZED");
    const minuteAhead = await forge({ ...base, iat: now + 2 * LIMITS.tokenClockSkewSeconds });
    expectError(await me(minuteAhead), 401, "UNAUTHORIZED");
    const slightlyAhead = await forge({ ...base, iat: now + 5 });
    expect((await me(slightlyAhead)).status).toBe(200);
  });

  it("refuses a missing or malformed Authorization header", async () => {
    expectError(await call("GET", "/v1/user"), 401, "UNAUTHORIZED");
    expectError(await call("GET", "/v1/user", { headers: { authorization: "Basic abc" } }), 401);
    expectError(await call("GET", "/v1/user", { headers: { authorization: "Bearer" } }), 401);
    expectError(await me("not.a.jwt"), 401);
  });

  it("refuses an expired token", async () => {
    const user = await newUser();
    const token = await forge(
      { sub: user.id, ver: 0, sid: "s", iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE },
      {},
      { expiresIn: Math.floor(Date.now() / 1000) - 10 },
    );
    expectError(await me(token), 401, "UNAUTHORIZED");
  });

  it("refuses a token for another audience or issuer", async () => {
    const user = await newUser();
    const base = { sub: user.id, ver: 0, sid: "s" };
    expectError(await me(await forge({ ...base, iss: env.JWT_ISSUER, aud: "someone-else" })), 401);
    expectError(await me(await forge({ ...base, iss: "https://evil.example", aud: env.JWT_AUDIENCE })), 401);
  });

  it("refuses a tampered token", async () => {
    const user = await newUser();
    const [header = "", payload = "", signature = ""] = user.access.split(".");
    const claims = JSON.parse(new TextDecoder().decode(fromBase64Url(payload)));
    claims.sub = "uid_someone_else";
    const tampered = `${header}.${toBase64Url(utf8(JSON.stringify(claims)))}.${signature}`;
    expectError(await me(tampered), 401);
  });

  it("refuses alg none", async () => {
    const user = await newUser();
    const header = toBase64Url(utf8(JSON.stringify({ alg: "none", typ: "at+jwt" })));
    const now = Math.floor(Date.now() / 1000);
    const payload = toBase64Url(
      utf8(
        JSON.stringify({
          sub: user.id,
          ver: 0,
          sid: "s",
          iss: env.JWT_ISSUER,
          aud: env.JWT_AUDIENCE,
          iat: now,
          exp: now + 600,
          jti: "x",
        }),
      ),
    );
    expectError(await me(`${header}.${payload}.`), 401);
  });

  it("refuses an HS256 token keyed with the public key (algorithm confusion)", async () => {
    const user = await newUser();
    const { x = "" } = signingJwk(env);
    const token = await new SignJWT({ sub: user.id, ver: 0, sid: "s", iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
      .setIssuedAt()
      .setJti("j")
      .setExpirationTime("1h")
      .sign(utf8(x));
    expectError(await me(token), 401);
  });

  it("refuses a refresh token used as an access token", async () => {
    const user = await newUser();
    expectError(await me(user.refresh), 401, "UNAUTHORIZED");
  });

  it("refuses a token whose user no longer exists", async () => {
    const token = await forge({ sub: "uid_gone", ver: 0, sid: "s", iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE });
    expectError(await me(token), 401);
  });

  it("publishes the verifying key at /.well-known/jwks.json without the private part", async () => {
    // Raw keys, not parsed with the route's schema: parsing would drop a leaked private field before the check.
    const res = await call<{ keys: Record<string, unknown>[] }>("GET", "/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.body.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", kid: "nowatch-dev-1" });
    expect(res.body.keys[0]?.d).toBeUndefined();
  });
});

describe("POST /v1/auth/refresh", () => {
  it("rotates: a new pair works and the old refresh token is spent", async () => {
    const user = await newUser();
    const first = expectTokens(await call("POST", "/v1/auth/refresh", { body: { refresh: user.refresh } }));
    expect(first.expiresIn).toBe(3600);
    expect((await me(first.access)).status).toBe(200);
    const second = await call("POST", "/v1/auth/refresh", { body: { refresh: first.refresh } });
    expect(second.status, second.text).toBe(201);
  });

  // Reuse after the grace interval, concurrent refreshes and retries: test/routes/auth/sessions.test.ts.

  it("refuses an access token used as a refresh token", async () => {
    const user = await newUser();
    expectError(await call("POST", "/v1/auth/refresh", { body: { refresh: user.access } }), 401);
  });

  it("refuses garbage and a missing token", async () => {
    expectError(await call("POST", "/v1/auth/refresh", { body: { refresh: "abc" } }), 401);
    expectError(await call("POST", "/v1/auth/refresh", { body: {} }), 400, "VALIDATION_FAILED");
  });
});

describe("POST /v1/auth/sign-out", () => {
  it("revokes every access and refresh token of the user at once", async () => {
    const user = await newUser();
    const other = await sessionFor(user.email);
    expect((await me(other.access)).status).toBe(200);
    const res = await call("POST", "/v1/auth/sign-out", { token: user.access });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({ status: "success" });
    expectError(await me(user.access), 401);
    expectError(await me(other.access), 401);
    expectError(await call("POST", "/v1/auth/refresh", { body: { refresh: other.refresh } }), 401);
    // Logging in again works.
    const again = expectTokens(
      await call("POST", "/v2/auth/login", { body: { email: user.email, password: user.password } }),
    );
    expect((await me(again.access)).status).toBe(200);
  });

  it("accepts a refresh token in the body instead of a bearer token", async () => {
    const user = await newUser();
    const res = await call("POST", "/v1/auth/sign-out", { body: { refresh: user.refresh } });
    expect(res.status, res.text).toBe(201);
    expectError(await me(user.access), 401);
  });

  it("refuses an unauthenticated sign-out with 401 and signs nobody out", async () => {
    const user = await newUser();
    expectError(await call("POST", "/v1/auth/sign-out"), 401);
    expectError(await call("POST", "/v1/auth/sign-out", { token: "garbage" }), 401);
    expect((await me(user.access)).status).toBe(200);
  });
});
