import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env";

/**
 * The response headers every answer carries (docs/http.md), set in one place after the route, the error handler or
 * the CORS preflight has produced the answer.
 */

const EVERY_ANSWER: Record<string, string> = {
  // Two years, the preload list's minimum; the API is HTTPS-only on its own host and subdomains (RFC 6797).
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  // For browsers that predate CSP frame-ancestors; nothing of this API is meant to be framed.
  "x-frame-options": "DENY",
};

/** JSON is never rendered: it may load nothing and be framed by no one. The HTML pages set their own policy. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Public documents that are the same for everyone and may be cached briefly (a key rotation or a deploy shows within
 * five minutes). Everything else, every /v1 and /v2 answer included (tokens, personal data, errors), is `no-store`.
 */
const PUBLIC_DOCUMENTS: Record<string, string> = {
  "/.well-known/jwks.json": "public, max-age=300",
  "/openapi.json": "public, max-age=300",
  "/docs": "public, max-age=300",
};

export function cachePolicy(method: string, path: string, status: number): string {
  const cacheable = (method === "GET" || method === "HEAD") && status >= 200 && status < 300;
  return (cacheable && PUBLIC_DOCUMENTS[path]) || "no-store";
}

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const headers = c.res.headers;
  for (const [name, value] of Object.entries(EVERY_ANSWER)) headers.set(name, value);
  if (!headers.has("content-security-policy")) headers.set("content-security-policy", API_CSP);
  headers.set("cache-control", cachePolicy(c.req.method, c.req.path, c.res.status));
});
