import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectError, latestMailedCode, newUser, PASSWORD, uniqueEmail } from "../../helpers";

const NEW_PASSWORD = "N3w-Passw0rd!";

const latestCode = (email: string) => latestMailedCode(email, "PASSWORD_RESET");

const login = (email: string, password: string) => call("POST", "/v2/auth/login", { body: { email, password } });

describe("forgot_password / confirm_new_password", () => {
  it("mails a 6-digit code that sets a new password once and signs out every session", async () => {
    const user = await newUser();
    const forgot = await call("POST", "/v1/auth/forgot_password", { body: { email: user.email } });
    expect(forgot.status, forgot.text).toBe(201);
    expect(forgot.body).toEqual({ status: "success" });
    const code = await latestCode(user.email);

    const confirm = await call("POST", "/v1/auth/confirm_new_password", {
      body: { email: user.email, code, new_password: NEW_PASSWORD },
    });
    expect(confirm.status, confirm.text).toBe(201);
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(201);
    expectError(await login(user.email, PASSWORD), 401);
    expectError(await call("GET", "/v1/user", { token: user.access }), 401);

    // Single use.
    const reuse = await call("POST", "/v1/auth/confirm_new_password", {
      body: { email: user.email, code, new_password: "An0ther-Passw0rd!" },
    });
    expectError(reuse, 400, "VALIDATION_FAILED");
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(201);
  });

  it("answers the same for an unknown email and mails nothing", async () => {
    const email = uniqueEmail();
    const res = await call("POST", "/v1/auth/forgot_password", { body: { email } });
    expect(res.status).toBe(201);
    const mails = await env.DB.prepare("SELECT COUNT(*) AS n FROM mail_outbox WHERE to_address = ?")
      .bind(email)
      .first<{ n: number }>();
    expect(mails?.n).toBe(0);
  });

  it("refuses a wrong code and locks the code after 5 wrong guesses", async () => {
    const user = await newUser();
    await call("POST", "/v1/auth/forgot_password", { body: { email: user.email } });
    const code = await latestCode(user.email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      const res = await call("POST", "/v1/auth/confirm_new_password", {
        body: { email: user.email, code: wrong, new_password: NEW_PASSWORD },
      });
      expectError(res, 400);
    }
    const right = await call("POST", "/v1/auth/confirm_new_password", {
      body: { email: user.email, code, new_password: NEW_PASSWORD },
    });
    expectError(right, 400);
    expect((await login(user.email, PASSWORD)).status).toBe(201);
  });

  it("refuses an expired code", async () => {
    const user = await newUser();
    await call("POST", "/v1/auth/forgot_password", { body: { email: user.email } });
    const code = await latestCode(user.email);
    await env.DB.prepare("UPDATE one_time_codes SET expires_at = 0 WHERE user_id = ? AND purpose = 'PASSWORD_RESET'")
      .bind(user.id)
      .run();
    const res = await call("POST", "/v1/auth/confirm_new_password", {
      body: { email: user.email, code, new_password: NEW_PASSWORD },
    });
    expectError(res, 400);
    expect((await login(user.email, PASSWORD)).status).toBe(201);
  });

  it("a new request replaces the earlier code", async () => {
    const user = await newUser();
    await call("POST", "/v1/auth/forgot_password", { body: { email: user.email } });
    const first = await latestCode(user.email);
    await call("POST", "/v1/auth/forgot_password", { body: { email: user.email } });
    const second = await latestCode(user.email);
    if (first !== second) {
      const old = await call("POST", "/v1/auth/confirm_new_password", {
        body: { email: user.email, code: first, new_password: NEW_PASSWORD },
      });
      expectError(old, 400);
    }
    const res = await call("POST", "/v1/auth/confirm_new_password", {
      body: { email: user.email, code: second, new_password: NEW_PASSWORD },
    });
    expect(res.status, res.text).toBe(201);
  });

  it("refuses malformed input with 400 and keeps the password", async () => {
    const user = await newUser();
    expectError(await call("POST", "/v1/auth/forgot_password", { body: { email: "nope" } }), 400, "VALIDATION_FAILED");
    await call("POST", "/v1/auth/forgot_password", { body: { email: user.email } });
    const code = await latestCode(user.email);
    const cases = [
      { email: user.email, code: "12345", new_password: NEW_PASSWORD },
      { email: user.email, code: "abcdef", new_password: NEW_PASSWORD },
      { email: user.email, code, new_password: "weak" },
      { email: user.email, code },
    ];
    for (const body of cases) {
      expectError(await call("POST", "/v1/auth/confirm_new_password", { body }), 400, "VALIDATION_FAILED");
    }
    expect((await login(user.email, PASSWORD)).status).toBe(201);
  });
});
