import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { DEV_ADMIN } from "../../../src/config";
import worker from "../../../src/index";
import { APP_TOKEN, call, expectObject, newUser, sessionFor } from "../../helpers";

/**
 * Malformed parameters never crash the API. Driven by /openapi.json, so an operation added tomorrow is fuzzed without
 * anyone remembering to: every query, path and header parameter of every operation gets each malformed value in
 * turn (the others stay valid), with valid credentials. Every answer must be below 500 and, unless 2xx, carry the
 * NOWATCH error body (contract §1). A value that breaks the parameter's declared enum, pattern, format or length
 * must be refused (4xx). Path parameters also get a valid-looking id that exists nowhere.
 *
 * The requests go to the Worker's own fetch handler (src/index.ts: prefix, app, bindings of this test run), not
 * through `exports.default.fetch`: that loopback gets slower with every request it has carried in a file
 * (cloudflare/workers-sdk#15446), which turns ~750 requests into minutes.
 */

interface Schema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  example?: unknown;
  default?: unknown;
}
interface Parameter {
  name: string;
  in: "query" | "path" | "header" | "cookie";
  required?: boolean;
  example?: unknown;
  schema?: Schema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema?: { type?: string; $ref?: string } }> };
}

const LONG = "9".repeat(10_000);
/** The decoded values sent; `lone surrogate` goes on the wire as its WTF-8 bytes (%ED%A0%80), invalid UTF-8. */
const MALFORMED = ["", "abc", "2025-13-01", "2025-02-30", "1e400", "\u0000", LONG, "\uD800", "-1", "0", "%"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORMATS: Record<string, (v: string) => boolean> = {
  uuid: (v) => UUID.test(v),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(Date.parse(v) || 0).toISOString().startsWith(v),
};

/** Whether the value breaks what the document declares for the parameter (then the answer must be a 4xx). */
function breaksDeclaration(schema: Schema, value: string): boolean {
  if (schema.enum && !schema.enum.includes(value)) return true;
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) return true;
  if (schema.minLength !== undefined && value.length < schema.minLength) return true;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return true;
  if (schema.format) {
    const valid = FORMATS[schema.format];
    if (!valid) throw new Error(`teach openapi-fuzz.test.ts the format "${schema.format}"`);
    if (!valid(value)) return true;
  }
  return false;
}

/** Percent-encodes any string, lone surrogates included (as WTF-8, which no UTF-8 decoder accepts). */
function encode(value: string): string {
  if (value === "%") return "%";
  let out = "";
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join("");
    } else out += encodeURIComponent(ch);
  }
  return out;
}

/** A header carries no NUL and no lone surrogate: send those as their percent-encoded text instead. */
function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encode(value);
}

function baseline(p: Parameter): string | undefined {
  const s = p.schema ?? {};
  const value = p.example ?? s.example ?? s.enum?.[0] ?? (p.required ? s.default : undefined);
  if (value !== undefined) return String(value);
  if (s.format === "uuid") return crypto.randomUUID();
  if (s.format === "date") return "2024-03-01";
  return p.required ? "x" : undefined;
}

/** A value of the right shape that names nothing: a fresh UUID where the parameter is a UUID. */
function unknownButValid(p: Parameter): string {
  const example = baseline(p) ?? "x";
  return p.schema?.format === "uuid" || UUID.test(example) ? crypto.randomUUID() : example;
}

interface Case {
  label: string;
  method: string;
  path: string;
  op: Operation;
  values: Map<Parameter, string | undefined>;
  /** The parameter and value under test; strict = the answer must be a 4xx. */
  target: { p: Parameter; value: string; strict: boolean };
}

function casesOf(method: string, path: string, op: Operation): Case[] {
  const params = (op.parameters ?? []).filter((p) => p.in !== "cookie");
  const base = new Map(params.map((p) => [p, baseline(p)] as const));
  const cases: Case[] = [];
  for (const p of params) {
    const values = p.in === "path" ? [...MALFORMED, unknownButValid(p)] : MALFORMED;
    for (const value of values) {
      const strict = breaksDeclaration(p.schema ?? {}, value);
      cases.push({
        label: `${method.toUpperCase()} ${path} ${p.in} ${p.name}=${JSON.stringify(value.slice(0, 20))}${value.length > 20 ? `…(${value.length})` : ""}`,
        method,
        path,
        op,
        values: new Map(base).set(p, value),
        target: { p, value, strict },
      });
    }
  }
  return cases;
}

async function send(c: Case, tokens: { user: string; admin: string }, asAdmin: boolean) {
  let path = c.path;
  const queryParts: string[] = [];
  const headers = new Headers();
  for (const [p, value] of c.values) {
    if (value === undefined) continue;
    if (p.in === "path") path = path.replace(`{${p.name}}`, encode(value));
    else if (p.in === "query") queryParts.push(`${encodeURIComponent(p.name)}=${encode(value)}`);
    else if (p.in === "header") headers.set(p.name, headerValue(value));
  }
  const schemes = new Set((c.op.security ?? []).flatMap((s) => Object.keys(s)));
  if (schemes.has("bearer")) headers.set("authorization", `Bearer ${asAdmin ? tokens.admin : tokens.user}`);
  if (schemes.has("appClient")) headers.set("x-auth-token", APP_TOKEN);
  let body: string | undefined;
  const json = c.op.requestBody?.content["application/json"];
  if (json) {
    body = json.schema?.type === "array" ? "[]" : "{}";
    headers.set("content-type", "application/json");
  }
  const url = `http://localhost${path}${queryParts.length ? `?${queryParts.join("&")}` : ""}`;
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(url, { method: c.method.toUpperCase(), headers, body }), env, ctx);
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return { status: response.status, text };
}

function problemOf(c: Case, res: { status: number; text: string }): string | null {
  const why = (reason: string) => `${c.label} -> ${res.status} ${reason}: ${res.text.slice(0, 160)}`;
  if (res.status >= 500) return why("server error");
  if (res.status < 300) return c.target.strict ? why("accepted a value outside the declared schema") : null;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.text);
  } catch {
    return why("not JSON");
  }
  const ok =
    body.statusCode === res.status &&
    Array.isArray(body.message) &&
    body.message.length > 0 &&
    typeof body.path === "string" &&
    !Number.isNaN(Date.parse(String(body.timestamp))) &&
    typeof body.requestId === "string";
  return ok ? null : why("without the NOWATCH error body");
}

it("every parameter of every documented operation: malformed values answer 4xx in the error body, never 5xx", async () => {
  const doc = await call("GET", "/openapi.json");
  expect(doc.status).toBe(200);
  const user = await newUser("fuzz");
  const admin = await sessionFor(DEV_ADMIN.email);
  const tokens = { user: user.access, admin: admin.access };

  const problems: string[] = [];
  const cases: Case[] = [];
  const adminOps = new Set<Operation>();
  // The fields of an operation this test reads (Operation above); the document is the app's own.
  for (const [path, item] of Object.entries(
    expectObject(doc.body).paths as Record<string, Record<string, Operation>>,
  )) {
    for (const [method, op] of Object.entries(item)) {
      const own = casesOf(method, path, op);
      const first = own[0];
      if (!first) continue;
      // The all-valid request first: it must not fail either, and an admin-only operation refuses a plain user
      // (403) before validating anything, so those are fuzzed as the admin.
      const valid: Case = { ...first, label: `${method.toUpperCase()} ${path} (all valid)` };
      valid.values = new Map([...first.values].map(([p]) => [p, baseline(p)] as const));
      const res = await send(valid, tokens, false);
      if (res.status === 403) adminOps.add(op);
      else if (res.status >= 500) problems.push(`${valid.label} -> ${res.status}: ${res.text.slice(0, 160)}`);
      cases.push(...own);
    }
  }
  expect(cases.length).toBeGreaterThan(300);
  expect(adminOps.size, "the admin operations are found").toBeGreaterThan(0);

  const BATCH = 8;
  for (let i = 0; i < cases.length; i += BATCH) {
    const batch = cases.slice(i, i + BATCH);
    const results = await Promise.all(batch.map((c) => send(c, tokens, adminOps.has(c.op))));
    batch.forEach((c, j) => {
      const problem = problemOf(c, results[j] as { status: number; text: string });
      if (problem) problems.push(problem);
    });
  }
  expect(problems, problems.join("\n")).toEqual([]);
}, 120_000);
