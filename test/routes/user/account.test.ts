import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { userStore } from "../../../src/user-store/user-store";
import { call, expectError, expectTokens, newUser, PASSWORD } from "../../helpers";

const count = async (sql: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("DELETE /v1/user", () => {
  it("deletes the account, its credentials, settings, requests and stored data; tokens die at once", async () => {
    const user = await newUser();
    await call("PUT", "/v1/user/settings", { token: user.access, body: { settings: { a: 1 } } });
    await call("POST", "/v1/user/beta_access", { token: user.access });
    const stub = userStore(env, user.id);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("INSERT INTO meta (key, value) VALUES ('probe', 'x')");
    });
    expect(await stub.storedRowCount()).toBeGreaterThan(0);

    const res = await call("DELETE", "/v1/user", { token: user.access });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ status: "success" });

    expectError(await call("GET", "/v1/user", { token: user.access }), 401);
    expectError(await call("POST", "/v1/auth/refresh", { body: { refresh: user.refresh } }), 401);
    expectError(await call("POST", "/v2/auth/login", { body: { email: user.email, password: PASSWORD } }), 401);
    for (const table of [
      "users WHERE id",
      "refresh_tokens WHERE user_id",
      "user_settings WHERE user_id",
      "beta_access_requests WHERE user_id",
    ]) {
      expect(await count(`SELECT COUNT(*) AS n FROM ${table} = ?`, user.id), table).toBe(0);
    }
    expect(await stub.storedRowCount()).toBe(0);
    // The email can be registered again as a new account.
    const again = await call("POST", "/v1/auth/register", {
      body: {
        email: user.email,
        password: PASSWORD,
        first_name: "A",
        last_name: "B",
        toc_accepted_at: "2024-01-01T00:00:00Z",
        privacy_policy_accepted_at: "2024-01-01T00:00:00Z",
      },
    });
    expect(again.status).toBe(201);
  });

  it("deletes only the caller: another user is untouched", async () => {
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    expect((await call("DELETE", "/v1/user", { token: alice.access })).status).toBe(200);
    expect((await call("GET", "/v1/user", { token: bob.access })).status).toBe(200);
  });

  it("refuses a stranger", async () => {
    expectError(await call("DELETE", "/v1/user"), 401);
  });
});

describe("POST /v1/user/change_password", () => {
  it("changes the password, keeps the caller signed in and revokes other sessions' refresh tokens", async () => {
    const user = await newUser();
    const other = expectTokens(
      await call("POST", "/v2/auth/login", { body: { email: user.email, password: PASSWORD } }),
    );
    const res = await call("POST", "/v1/user/change_password", {
      token: user.access,
      body: { new_password: "N3w-Passw0rd!" },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({ status: "success" });
    expect((await call("GET", "/v1/user", { token: user.access })).status).toBe(200);
    expect((await call("POST", "/v1/auth/refresh", { body: { refresh: user.refresh } })).status).toBe(201);
    expectError(await call("POST", "/v1/auth/refresh", { body: { refresh: other.refresh } }), 401);
    expectError(await call("POST", "/v2/auth/login", { body: { email: user.email, password: PASSWORD } }), 401);
    expect(
      (await call("POST", "/v2/auth/login", { body: { email: user.email, password: "N3w-Passw0rd!" } })).status,
    ).toBe(201);
  });

  it("accepts the change_password special set (e.g. = and ')", async () => {
    const user = await newUser();
    for (const pw of ["Abcdefg1=", "Abcdefg1'", 'Abcdefg1"', "Abcdefg1\\"]) {
      const res = await call("POST", "/v1/user/change_password", { token: user.access, body: { new_password: pw } });
      expect(res.status, `${pw}: ${res.text}`).toBe(201);
    }
  });

  it("refuses a weak or missing password with 400 and keeps the old one", async () => {
    const user = await newUser();
    for (const body of [{ new_password: "stringst" }, { new_password: "short1!" }, {}, { new_password: 12345678 }]) {
      expectError(await call("POST", "/v1/user/change_password", { token: user.access, body }), 400);
    }
    expect((await call("POST", "/v2/auth/login", { body: { email: user.email, password: PASSWORD } })).status).toBe(
      201,
    );
  });

  it("refuses a stranger", async () => {
    expectError(await call("POST", "/v1/user/change_password", { body: { new_password: "N3w-Passw0rd!" } }), 401);
  });
});
