import { env, exports } from "cloudflare:workers";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { expect } from "vitest";
import type { z } from "zod";
import { sendVerificationCode } from "../src/auth/email-verification";
import { startSession, type TokenPair } from "../src/auth/sessions";
import { getDb } from "../src/db";
import { attachPendingInvitations } from "../src/db/invitations";
import { consumeCode } from "../src/db/one-time-codes";
import type { User } from "../src/db/schema";
import { findUserByEmail, findUserById, insertUser, markEmailVerified, normalizeEmail } from "../src/db/users";
import { ensureDevAccounts } from "../src/dev/bootstrap";
import { type ErrorBody, ErrorBodySchema } from "../src/lib/errors";
import { newUserId } from "../src/lib/ids";
import { nowIso, toIso } from "../src/lib/time";
import { TokenPairSchema } from "../src/routes/auth/schemas";
import { type UserDto, UserDtoSchema } from "../src/routes/user/dto";
import { PASSWORD_HASH } from "./fixtures/password-hash";

/** The documented local app client: x-auth-token = base64("dev-secret+nowatch-dev"). */
export const APP_TOKEN = btoa("dev-secret+nowatch-dev");
export const PASSWORD = "BigBob27!";

export interface CallOptions {
  body?: unknown;
  /** Raw body, sent as is (with `contentType` if given). */
  raw?: BodyInit;
  contentType?: string;
  token?: string;
  appToken?: string | null;
  headers?: Record<string, string>;
}

export interface CallResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/**
 * One request to the worker. The body is `unknown` unless the caller names its type: read it through expectBody,
 * expectSchema or expectError (which check it against the route's schema), or `call<T>` where no schema exists.
 */
export async function call<T = unknown>(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  if (options.appToken !== null && path.includes("/auth/")) headers.set("x-auth-token", options.appToken ?? APP_TOKEN);
  let body: BodyInit | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("content-type", "application/json");
  }
  if (options.contentType) headers.set("content-type", options.contentType);
  const response = await exports.default.fetch(new Request(`http://localhost${path}`, { method, headers, body }));
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers, text };
}

let counter = 0;
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

export function registration(email = uniqueEmail(), password = PASSWORD) {
  return {
    email,
    password,
    first_name: "Sponge Bob",
    last_name: "Squarepants",
    toc_accepted_at: "2024-07-01T12:34:56Z",
    privacy_policy_accepted_at: "2024-07-01T12:34:56Z",
  };
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  access: string;
  refresh: string;
}

/** The newest 6-digit code mailed to the address for a purpose (the local outbox is the delivery). */
export async function latestMailedCode(email: string, kind: "PASSWORD_RESET" | "EMAIL_VERIFICATION"): Promise<string> {
  const row = await env.DB.prepare(
    "SELECT body FROM mail_outbox WHERE to_address = ? AND kind = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
  )
    .bind(email.toLowerCase(), kind)
    .first<{ body: string }>();
  const code = /\b(\d{6})\b/.exec(row?.body ?? "")?.[1];
  expect(code, `no ${kind} code mailed to ${email}`).toBeDefined();
  return code as string;
}

/** Proves the address with the code mailed at registration, as the app does. */
export async function verifyEmail(email: string): Promise<void> {
  const code = await latestMailedCode(email, "EMAIL_VERIFICATION");
  const verified = await call("POST", "/v1/auth/verify_email", { body: { email, code } });
  expect(verified.status, verified.text).toBe(201);
}

export interface NewUserOptions {
  /** Prove the address as well (default): sharing needs it. */
  verified?: boolean;
}

/**
 * A fresh user, made as POST /v1/auth/register, POST /v1/auth/verify_email (unless `verified: false`) and
 * POST /v2/auth/login would make it, but without their PBKDF2 runs: the same rows are written through the same src
 * functions, with the precomputed hash of PASSWORD (test/fixtures/password-hash.ts), and the tokens are a real login
 * session. The user can still log in with PASSWORD. test/helpers.test.ts checks that the rows match the
 * endpoints'. Every test makes its own users: storage is shared within a file.
 *
 * Tests whose subject is registration, login or a password change go through the endpoints instead.
 */
export async function newUser(prefix = "user", options: NewUserOptions = {}): Promise<TestUser> {
  // The app's middleware runs this before every request (src/app.ts): the first registration of a file used to
  // create the local dev accounts, and a test that counts a later request's D1 statements relies on that.
  await ensureDevAccounts(env);
  const reg = registration(uniqueEmail(prefix));
  const db = getDb(env.DB);
  const id = newUserId();
  const email = normalizeEmail(reg.email);
  // src/routes/auth/register.ts
  const created = await insertUser(db, {
    id,
    email,
    passwordHash: PASSWORD_HASH,
    firstName: reg.first_name,
    lastName: reg.last_name,
    tocAcceptedAt: toIso(reg.toc_accepted_at),
    privacyPolicyAcceptedAt: toIso(reg.privacy_policy_accepted_at),
  });
  expect(created, `${email} is already registered`).toBe(true);
  await attachPendingInvitations(db, id, email);
  await sendVerificationCode(db, env, { id, email });
  // src/routes/auth/verify-email.ts: the mailed code is spent and the address marked proven.
  if (options.verified !== false) {
    const code = await latestMailedCode(email, "EMAIL_VERIFICATION");
    expect(await consumeCode(db, "EMAIL_VERIFICATION", id, code)).toBe("ok");
    await markEmailVerified(db, id, nowIso());
  }
  // src/routes/auth/login.ts: a new session and its first token pair, at the stored token version.
  const user = await findUserById(db, id);
  expect(user, `${email} was not stored`).toBeDefined();
  const tokens = await startSession(db, env, { id, tokenVersion: user?.tokenVersion ?? 0 });
  return { id, email: reg.email, password: reg.password, access: tokens.access, refresh: tokens.refresh };
}

/**
 * A new login session for an existing account, as POST /v2/auth/login would start it once the password checked out,
 * without the PBKDF2 run: for tests whose subject is not the login (the documented local admin, a second session).
 */
export async function sessionFor(email: string): Promise<{ access: string; refresh: string }> {
  const db = getDb(env.DB);
  const user = await findUserByEmail(db, email);
  expect(user, `no account for ${email}`).toBeDefined();
  const { access, refresh } = await startSession(db, env, user as User);
  return { access, refresh };
}

/**
 * Asserts the NOWATCH error body (contract §1) with the given status and error code; afterwards `result.body` is
 * typed as that body.
 */
export function expectError(
  result: CallResult,
  status: number,
  code?: ErrorBody["error"],
): asserts result is CallResult<ErrorBody> {
  expect(result.status, result.text).toBe(status);
  const body = result.body as Record<string, unknown>;
  expect(body.statusCode, result.text).toBe(status);
  expect(Array.isArray(body.message) && body.message.length > 0, result.text).toBe(true);
  expect(typeof body.path, result.text).toBe("string");
  expect(Number.isNaN(Date.parse(String(body.timestamp))), result.text).toBe(false);
  expect(typeof body.requestId, result.text).toBe("string");
  if (code) expect(body.error, result.text).toBe(code);
  expectSchema(ErrorBodySchema, body);
}

/** Validates a response body against the route's own response schema. */
export function expectSchema<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues)).toBe(true);
  return parsed.data as z.infer<S>;
}

/**
 * Validates a body against the route's own response schema and answers the body itself, typed, rather than the
 * parsed copy: parsing drops fields the schema does not list, and an equality assertion must still see those.
 */
export function expectValid<S extends z.ZodType>(schema: S, body: unknown): z.input<S> {
  expectSchema(schema, body);
  return body as z.input<S>;
}

/** Asserts the status, then validates the body against the route's own response schema and answers it (unparsed). */
export function expectBody<S extends z.ZodType>(result: CallResult, status: number, schema: S): z.input<S> {
  expect(result.status, result.text).toBe(status);
  return expectValid(schema, result.body);
}

/** GETs `path` and answers the body through the route's response schema (200 asserted, the body itself kept). */
export async function read<S extends z.ZodType>(path: string, options: CallOptions, schema: S): Promise<z.input<S>> {
  return expectBody(await call("GET", path, options), 200, schema);
}

/** The token pair of a login or refresh (201). */
export const expectTokens = (result: CallResult): TokenPair => expectBody(result, 201, TokenPairSchema);

/** The caller's profile, GET /v1/user. */
export async function profileOf(token: string): Promise<UserDto> {
  return expectBody(await call("GET", "/v1/user", { token }), 200, UserDtoSchema);
}

/** A JSON object whose fields the test reads one by one (a body without a schema of its own, e.g. a fake's). */
export function expectObject(body: unknown): Record<string, unknown> {
  expect(body !== null && typeof body === "object" && !Array.isArray(body), JSON.stringify(body)).toBe(true);
  return body as Record<string, unknown>;
}

/** The element at `index` of a list, asserted present (an index read is `T | undefined` otherwise). */
export function nth<T>(list: readonly T[], index = 0): T {
  expect(list.length, `an element at ${index}`).toBeGreaterThan(index);
  return list[index] as T;
}

/** /openapi.json, typed as the OpenAPI 3.1 document the app's generator (@hono/zod-openapi) produces. */
export type OpenApiDocument = ReturnType<OpenAPIHono["getOpenAPI31Document"]>;

export async function openApiDoc(): Promise<OpenApiDocument> {
  const res = await call("GET", "/openapi.json");
  expect(res.status, res.text).toBe(200);
  expect(expectObject(res.body).openapi).toBe("3.1.0");
  // The generator's own type for what it serialized; the fields a test reads are asserted where it reads them.
  return res.body as OpenApiDocument;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

type PathItem = NonNullable<OpenApiDocument["paths"]>[string];
export type OpenApiOperation = NonNullable<PathItem[(typeof HTTP_METHODS)[number]]>;

/** Every operation of the document; asserts that path items hold operations only (no shared `parameters` etc.). */
export function openApiOperations(doc: OpenApiDocument): { id: string; path: string; op: OpenApiOperation }[] {
  const found: { id: string; path: string; op: OpenApiOperation }[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const others = Object.keys(item).filter((key) => !(HTTP_METHODS as readonly string[]).includes(key));
    expect(others, `${path} holds only operations`).toEqual([]);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op) found.push({ id: `${method.toUpperCase()} ${path}`, path, op });
    }
  }
  return found;
}

/** A part of the document that may be a `$ref`: the test expects it present and inline. */
export function inline<T>(value: T | undefined, what: string): Exclude<T, { $ref: string }> {
  expect(value, `${what} is in the document`).toBeDefined();
  expect(typeof value === "object" && value !== null && "$ref" in value, `${what} is inline`).toBe(false);
  return value as Exclude<T, { $ref: string }>;
}
