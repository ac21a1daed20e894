import { describe, expect, it } from "vitest";
import { allowedOrigin } from "../../src/http/cors";
import { call, newUser } from "../helpers";

/**
 * CORS (docs/http.md): browsers may call the API from the origins in CORS_ORIGINS (the test run lists
 * https://dashboard.example.com, see vitest.config.ts) and, in local development, from any localhost port.
 */

const LISTED = "https://dashboard.example.com";
const ALLOWED_HEADERS = [
  "authorization",
  "content-type",
  "x-auth-token",
  "shared-user",
  "app-version",
  "idempotency-key",
];

const preflight = (path: string, origin: string, method = "POST") =>
  call("OPTIONS", path, {
    appToken: null,
    headers: {
      origin,
      "access-control-request-method": method,
      "access-control-request-headers": "authorization,content-type",
    },
  });

const list = (value: string | null) => (value ?? "").split(",").map((v) => v.trim().toLowerCase());

describe("CORS preflight", () => {
  it.each([
    ["a listed origin", "/v1/user", LISTED],
    ["a listed origin, under the /nowatch prefix", "/nowatch/v2/auth/login", LISTED],
    ["a listed origin, on a path no route has", "/v1/not-a-route", LISTED],
    ["localhost in local development", "/v1/session", "http://localhost:5173"],
    ["127.0.0.1 in local development", "/v1/measurement/upload", "http://127.0.0.1:8080"],
  ])("grants %s", async (_name, path, origin) => {
    const res = await preflight(path, origin);
    expect(res.status, res.text).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(origin);
    expect(list(res.headers.get("access-control-allow-headers"))).toEqual(expect.arrayContaining(ALLOWED_HEADERS));
    expect(list(res.headers.get("access-control-allow-methods"))).toEqual(
      expect.arrayContaining(["get", "post", "put", "patch", "delete"]),
    );
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(list(res.headers.get("vary"))).toContain("origin");
    expect(res.headers.get("access-control-allow-credentials"), "bearer tokens, no cookies").toBeNull();
  });

  it.each([
    "https://evil.example",
    "https://dashboard.example.com.evil.example",
    "http://dashboard.example.com",
    "https://localhost:5173",
    "http://localhost.evil.example",
    "null",
  ])("gives %s no grant: 204 without Access-Control-Allow-Origin", async (origin) => {
    const res = await preflight("/v1/user", origin);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(list(res.headers.get("vary"))).toContain("origin");
  });
});

describe("CORS on actual requests", () => {
  it("a GET from a listed origin gets the grant and the exposed headers", async () => {
    const user = await newUser("cors");
    const res = await call("GET", "/v1/user", { token: user.access, headers: { origin: LISTED } });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(LISTED);
    expect(list(res.headers.get("access-control-expose-headers"))).toEqual(
      expect.arrayContaining(["x-request-id", "retry-after", "deprecation", "link"]),
    );
    expect(list(res.headers.get("vary"))).toContain("origin");
  });

  it("an error answer is granted too, so the page can read the error body", async () => {
    const res = await call("GET", "/v1/user", { headers: { origin: LISTED } });
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe(LISTED);
  });

  it("an unknown origin's GET is answered without a grant", async () => {
    const res = await call("GET", "/health", { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(list(res.headers.get("vary"))).toContain("origin");
  });
});

describe("allowedOrigin (the pure decision)", () => {
  const production = { NOWATCH_ENV: "production", CORS_ORIGINS: "https://a.example, https://B.example:8443/ ,," };

  it("in production grants exactly the listed origins, normalized", () => {
    expect(allowedOrigin("https://a.example", production)).toBe("https://a.example");
    expect(allowedOrigin("https://b.example:8443", production)).toBe("https://b.example:8443");
    expect(allowedOrigin("https://a.example:443", production)).toBeNull();
    expect(allowedOrigin("https://c.example", production)).toBeNull();
    expect(allowedOrigin("", production)).toBeNull();
  });

  it("in production never grants localhost", () => {
    for (const origin of ["http://localhost:5173", "http://127.0.0.1:8787", "http://localhost"]) {
      expect(allowedOrigin(origin, production), origin).toBeNull();
    }
  });

  it("grants nothing when CORS_ORIGINS is empty (the deployed default) or not an origin list", () => {
    expect(allowedOrigin("https://a.example", { NOWATCH_ENV: "production", CORS_ORIGINS: "" })).toBeNull();
    for (const junk of ["*", "a.example", "https://a.example/path", "null"]) {
      const env = { NOWATCH_ENV: "production", CORS_ORIGINS: junk };
      expect(allowedOrigin("https://a.example", env), junk).toBeNull();
      expect(allowedOrigin("null", env), junk).toBeNull();
    }
  });

  it("in local development grants any localhost port as well as the list", () => {
    const local = { NOWATCH_ENV: "local", CORS_ORIGINS: "https://a.example" };
    for (const origin of ["http://localhost:5173", "http://127.0.0.1:8787", "http://localhost", "http://[::1]:3000"]) {
      expect(allowedOrigin(origin, local), origin).toBe(origin);
    }
    expect(allowedOrigin("https://a.example", local)).toBe("https://a.example");
    for (const origin of [
      "http://localhost.evil.example",
      "http://localhost:5173.evil.example",
      "https://evil.example",
    ]) {
      expect(allowedOrigin(origin, local), origin).toBeNull();
    }
  });
});
