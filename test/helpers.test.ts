import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TokenPairSchema } from "../src/routes/auth/schemas";
import { UserDtoSchema } from "../src/routes/user/dto";
import {
  call,
  expectSchema,
  expectValid,
  newUser,
  PASSWORD,
  registration,
  sessionFor,
  type TestUser,
  uniqueEmail,
  verifyEmail,
} from "./helpers";

/**
 * `newUser` (test/helpers.ts) writes its rows directly instead of calling register, verify_email and login, to spare
 * their PBKDF2 runs. These tests hold it to what the endpoints write, so the shortcut cannot drift from them.
 */

/** The same user made through the endpoints, as `newUser` did before the shortcut. */
async function registeredUser(verified: boolean): Promise<TestUser> {
  const reg = registration(uniqueEmail("endpoint"));
  const created = await call("POST", "/v1/auth/register", { body: reg });
  expect(created.status, created.text).toBe(201);
  if (verified) await verifyEmail(reg.email);
  const login = await call("POST", "/v2/auth/login", { body: { email: reg.email, password: reg.password } });
  expect(login.status, login.text).toBe(201);
  const tokens = expectSchema(TokenPairSchema, login.body);
  const me = expectSchema(UserDtoSchema, (await call("GET", "/v1/user", { token: tokens.access })).body);
  return { id: me.id, email: reg.email, password: reg.password, access: tokens.access, refresh: tokens.refresh };
}

type Row = Record<string, unknown>;

async function rows(sql: string, ...binds: unknown[]): Promise<Row[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<Row>()
  ).results;
}

/** Tables with a `user_id` column: found at run time, so a table added later is compared too. */
async function userTables(): Promise<string[]> {
  const tables = await rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'");
  const found: string[] = [];
  for (const { name } of tables) {
    const columns = await rows(`SELECT name FROM pragma_table_info(?)`, name);
    if (columns.some((c) => c.name === "user_id")) found.push(String(name));
  }
  return found;
}

/** Everything D1 holds about a user, without what differs by nature (ids, email, salt, times, random codes). */
async function stored(user: TestUser) {
  const [account] = await rows("SELECT * FROM users WHERE id = ?", user.id);
  expect(account, user.email).toBeDefined();
  const {
    id: _id,
    email,
    password_hash: hash,
    created_at: _created,
    updated_at: _updated,
    email_verified_at: verifiedAt,
    ...rest
  } = account as Row;
  const perTable: Record<string, number> = {};
  for (const table of await userTables()) {
    const [count] = await rows(`SELECT COUNT(*) AS n FROM "${table}" WHERE user_id = ?`, user.id);
    perTable[table] = Number(count?.n);
  }
  return {
    account: { ...rest, emailIsLowerCase: email === user.email.toLowerCase(), verified: verifiedAt !== null },
    hashScheme: String(hash).split("$").slice(0, 2),
    perTable,
    codes: await rows("SELECT purpose, attempts FROM one_time_codes WHERE user_id = ? ORDER BY purpose", user.id),
    sessions: await rows("SELECT revoked_at FROM auth_sessions WHERE user_id = ?", user.id),
    refreshTokens: await rows(
      "SELECT used_at, revoked, replaced_by, expires_at - created_at AS ttl FROM refresh_tokens WHERE user_id = ?",
      user.id,
    ),
    mails: await rows("SELECT kind, subject, status FROM mail_outbox WHERE to_address = ?", user.email.toLowerCase()),
  };
}

/** The profile as the app sees it, without what differs by nature. */
async function profile(user: TestUser) {
  const res = await call("GET", "/v1/user", { token: user.access });
  expect(res.status, res.text).toBe(200);
  const { id, email, ...rest } = expectValid(UserDtoSchema, res.body);
  expect(id).toBe(user.id);
  expect(email).toBe(user.email.toLowerCase());
  return rest;
}

describe("newUser matches register + verify_email + login", () => {
  for (const verified of [true, false]) {
    it(`writes the same rows${verified ? "" : " when the address is left unverified"}`, async () => {
      const endpoint = await registeredUser(verified);
      const shortcut = await newUser("shortcut", { verified });
      expect(await stored(shortcut)).toEqual(await stored(endpoint));
      expect(await profile(shortcut)).toEqual(await profile(endpoint));
      expect((await stored(shortcut)).account.verified).toBe(verified);
    });
  }

  it("gives a user who logs in with PASSWORD, and tokens that refresh", async () => {
    const user = await newUser();
    expect(user.password).toBe(PASSWORD);
    const login = await call("POST", "/v2/auth/login", { body: { email: user.email, password: user.password } });
    expect(login.status, login.text).toBe(201);
    expectSchema(TokenPairSchema, login.body);
    const refreshed = await call("POST", "/v1/auth/refresh", { body: { refresh: user.refresh } });
    expect(refreshed.status, refreshed.text).toBe(201);
    const pair = expectSchema(TokenPairSchema, refreshed.body);
    expect((await call("GET", "/v1/user", { token: pair.access })).status).toBe(200);
  });

  it("sessionFor starts a second live session, with its own refresh token", async () => {
    const user = await newUser();
    const second = await sessionFor(user.email);
    expect(second.access).not.toBe(user.access);
    expect((await call("GET", "/v1/user", { token: second.access })).status).toBe(200);
    expect((await call("GET", "/v1/user", { token: user.access })).status).toBe(200);
    const refreshed = await call("POST", "/v1/auth/refresh", { body: { refresh: second.refresh } });
    expect(refreshed.status, refreshed.text).toBe(201);
    const sessions = await rows("SELECT id FROM auth_sessions WHERE user_id = ? AND revoked_at IS NULL", user.id);
    expect(sessions).toHaveLength(2);
  });

  it("leaves an unverified user's registration code usable, as the endpoint does", async () => {
    const user = await newUser("later", { verified: false });
    await verifyEmail(user.email);
    expect((await profile(user)).emailVerified).toBe(true);
  });
});
