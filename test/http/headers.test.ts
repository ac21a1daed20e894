import { describe, expect, it } from "vitest";
import { type CallResult, call, newUser, PASSWORD } from "../helpers";

/**
 * Finding 8: the security headers of every answer (docs/http.md). Token-bearing and personal answers, errors
 * included, are never stored by a cache; every answer says nosniff, HSTS and no-referrer; nothing can be framed;
 * the HTML reference runs under a CSP that allows exactly its one inline stylesheet.
 */

const EVERY_ANSWER = {
  "x-content-type-options": "nosniff",
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

interface Row {
  name: string;
  send: (token: string, email: string) => Promise<CallResult>;
  status: number;
  cache: string;
}

const ROWS: Row[] = [
  {
    name: "token-bearing: POST /v2/auth/login",
    send: (_t, email) => call("POST", "/v2/auth/login", { body: { email, password: PASSWORD } }),
    status: 201,
    cache: "no-store",
  },
  {
    name: "token-bearing: POST /v1/auth/refresh, under the /nowatch prefix",
    send: () => call("POST", "/nowatch/v1/auth/refresh", { body: { refresh: "nope" } }),
    status: 401,
    cache: "no-store",
  },
  {
    name: "personal data: GET /v1/user",
    send: (t) => call("GET", "/v1/user", { token: t }),
    status: 200,
    cache: "no-store",
  },
  {
    name: "personal data: GET /v1/session",
    send: (t) => call("GET", "/v1/session?start_date=2024-03-01&end_date=2024-03-02", { token: t }),
    status: 200,
    cache: "no-store",
  },
  { name: "error: 401 without a token", send: () => call("GET", "/v1/user"), status: 401, cache: "no-store" },
  {
    name: "error: 400 validation",
    send: (t) => call("GET", "/v1/session?start_date=abc&end_date=2024-03-02", { token: t }),
    status: 400,
    cache: "no-store",
  },
  { name: "error: 404 unknown path", send: () => call("GET", "/v1/nothing-here"), status: 404, cache: "no-store" },
  {
    name: "CORS preflight: OPTIONS /v1/user",
    send: () =>
      call("OPTIONS", "/v1/user", {
        headers: { origin: "https://dashboard.example.com", "access-control-request-method": "GET" },
      }),
    status: 204,
    cache: "no-store",
  },
  { name: "GET /health", send: () => call("GET", "/health"), status: 200, cache: "no-store" },
  {
    name: "GET /.well-known/jwks.json",
    send: () => call("GET", "/.well-known/jwks.json"),
    status: 200,
    cache: "public, max-age=300",
  },
  { name: "GET /openapi.json", send: () => call("GET", "/openapi.json"), status: 200, cache: "public, max-age=300" },
  { name: "GET /docs", send: () => call("GET", "/docs"), status: 200, cache: "public, max-age=300" },
];

describe("security headers", () => {
  it.each(ROWS)("$name: status, cache policy and the headers of every answer", async (row) => {
    const user = await newUser("headers");
    const res = await row.send(user.access, user.email);
    expect(res.status, res.text).toBe(row.status);
    expect(res.headers.get("cache-control"), row.name).toBe(row.cache);
    for (const [name, value] of Object.entries(EVERY_ANSWER)) expect(res.headers.get(name), name).toBe(value);
    expect(res.headers.get("content-security-policy"), "no answer may be framed").toContain("frame-ancestors 'none'");
  });

  it("JSON answers carry the API policy: they load nothing", async () => {
    const res = await call("GET", "/health");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("/docs: a CSP that allows its one inline stylesheet by hash, no script, no framing", async () => {
    const res = await call("GET", "/docs");
    expect(res.headers.get("content-type")).toContain("text/html");
    const csp = res.headers.get("content-security-policy") ?? "";
    const directives = new Map(
      csp.split(";").map((d) => {
        const [name = "", ...values] = d.trim().split(/\s+/);
        return [name, values.join(" ")] as const;
      }),
    );
    expect(directives.get("default-src")).toBe("'none'");
    expect(directives.get("frame-ancestors")).toBe("'none'");
    expect(directives.get("base-uri")).toBe("'none'");
    expect(directives.get("form-action")).toBe("'none'");
    expect(directives.has("script-src"), "the page needs no script").toBe(false);
    // What the browser checks: the sha256 of each <style> element's text must be listed in style-src.
    const styles = [...res.text.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? "");
    expect(styles).toHaveLength(1);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(styles[0]));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    expect(directives.get("style-src")).toBe(`'sha256-${hash}'`);
    // Inline script, style attributes and event handlers would be blocked: the page must not rely on any.
    expect(res.text).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });
});
