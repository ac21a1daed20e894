import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { rotateRefreshToken } from "../../../src/auth/sessions";
import { getDb } from "../../../src/db";
import { fromBase64Url } from "../../../src/lib/encoding";
import { LIMITS } from "../../../src/lib/limits";
import { nowSeconds } from "../../../src/lib/time";
import { call, expectError, expectTokens, newUser, type TestUser } from "../../helpers";

/** Login sessions: security findings 2 (change_password), 3 (revoked families) and 4 (refresh races). */

const me = (token: string) => call("GET", "/v1/user", { token });
const refresh = (token: string) => call("POST", "/v1/auth/refresh", { body: { refresh: token } });
const login = (user: TestUser, password = user.password) =>
  call("POST", "/v2/auth/login", { body: { email: user.email, password } });

const claimsOf = (token: string) => JSON.parse(new TextDecoder().decode(fromBase64Url(token.split(".")[1] ?? "")));

/** Moves a spent token's rotation into the past: tests move time only through the stored row. */
async function ageRotation(refreshToken: string, seconds: number) {
  await env.DB.prepare("UPDATE refresh_tokens SET used_at = used_at - ? WHERE jti = ?")
    .bind(seconds, claimsOf(refreshToken).jti)
    .run();
}

describe("POST /v1/user/change_password ends every other session at once (finding 2)", () => {
  it("kills the other sessions' access and refresh tokens and keeps the caller's session", async () => {
    const user = await newUser();
    const s2 = expectTokens(await login(user));
    expect((await me(s2.access)).status).toBe(200);

    const changed = await call("POST", "/v1/user/change_password", {
      token: user.access,
      body: { new_password: "N3w-Passw0rd!" },
    });
    expect(changed.status, changed.text).toBe(201);

    expectError(await me(s2.access), 401, "UNAUTHORIZED");
    expectError(await refresh(s2.refresh), 401, "UNAUTHORIZED");
    const takeover = await call("POST", "/v1/user/change_password", {
      token: s2.access,
      body: { new_password: "Att4cker-Passw0rd!" },
    });
    expectError(takeover, 401, "UNAUTHORIZED");

    // The caller's own session goes on, and the new password is the one that works.
    expect((await me(user.access)).status).toBe(200);
    const next = expectTokens(await refresh(user.refresh));
    expect((await me(next.access)).status).toBe(200);
    expect((await login(user, "N3w-Passw0rd!")).status).toBe(201);
    expectError(await login(user, "Att4cker-Passw0rd!"), 401);
  });
});

describe("POST /v1/auth/refresh: rotation, retries and reuse (findings 3 and 4)", () => {
  it("answers every one of concurrent refreshes with the same token with a working successor", async () => {
    const user = await newUser();
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(user.refresh)));
    const pairs = results.map(expectTokens);
    // One rotation happened: every answer carries the same successor, and nothing was revoked.
    const successors = new Set(pairs.map((pair) => claimsOf(pair.refresh).jti));
    expect(successors.size).toBe(1);
    for (const pair of pairs) expect((await me(pair.access)).status).toBe(200);
    const [first] = pairs;
    const next = expectTokens(await refresh(first?.refresh ?? ""));
    expect((await me(next.access)).status).toBe(200);
  });

  it("answers a sequential retry within the grace interval with the same successor", async () => {
    const user = await newUser();
    const lost = expectTokens(await refresh(user.refresh));
    const retry = expectTokens(await refresh(user.refresh));
    expect(claimsOf(retry.refresh).jti).toBe(claimsOf(lost.refresh).jti);
    expect((await me(retry.access)).status).toBe(200);
    expect((await refresh(retry.refresh)).status).toBe(201);
  });

  it("revokes the whole session on reuse after the grace interval, access tokens included", async () => {
    const user = await newUser();
    const other = expectTokens(await login(user));
    const rotated = expectTokens(await refresh(user.refresh));
    await ageRotation(user.refresh, LIMITS.refreshReuseGraceSeconds + 1);

    expectError(await refresh(user.refresh), 401, "UNAUTHORIZED");
    // Finding 3: the revoked session's access tokens die now, not when they expire.
    expectError(await me(rotated.access), 401, "UNAUTHORIZED");
    expectError(await me(user.access), 401, "UNAUTHORIZED");
    expectError(await refresh(rotated.refresh), 401, "UNAUTHORIZED");
    // Another login session of the same user is not touched.
    expect((await me(other.access)).status).toBe(200);
    expect((await refresh(other.refresh)).status).toBe(201);
  });

  it("takes the grace interval and the clock from its options (injectable)", async () => {
    const db = getDb(env.DB);
    const user = await newUser();
    const first = await rotateRefreshToken(db, env, user.refresh);
    expect(first.ok).toBe(true);
    // Within the default interval a retry succeeds; with the clock moved past it, it is reuse.
    expect((await rotateRefreshToken(db, env, user.refresh)).ok).toBe(true);
    const late = await rotateRefreshToken(db, env, user.refresh, {
      now: nowSeconds() + LIMITS.refreshReuseGraceSeconds + 5,
    });
    expect(late).toEqual({ ok: false, reason: "reused" });
    expectError(await me(user.access), 401);

    // With no grace at all, the first replay revokes.
    const strict = await newUser();
    expect((await rotateRefreshToken(db, env, strict.refresh, { graceSeconds: 0 })).ok).toBe(true);
    const replay = await rotateRefreshToken(db, env, strict.refresh, {
      graceSeconds: 0,
      now: nowSeconds() + 1,
    });
    expect(replay).toEqual({ ok: false, reason: "reused" });
    expectError(await me(strict.access), 401);
  });

  it("refuses a refresh token of a signed-out user even within the grace interval", async () => {
    const user = await newUser();
    const rotated = expectTokens(await refresh(user.refresh));
    expect((await call("POST", "/v1/auth/sign-out", { token: rotated.access })).status).toBe(201);
    expectError(await refresh(user.refresh), 401);
    expectError(await refresh(rotated.refresh), 401);
  });
});
