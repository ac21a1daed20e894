import type { Context } from "hono";
import { cors } from "hono/cors";
import { isLocal } from "../config";
import type { AppEnv } from "./app-env";

/**
 * CORS (docs/http.md): a browser page may call the API only from an origin the deployment lists in CORS_ORIGINS;
 * local development (`npm run dev`, NOWATCH_ENV=local) also grants any http://localhost or 127.0.0.1 port. Credentials
 * travel as bearer tokens, not cookies, so no `Access-Control-Allow-Credentials`.
 */

type CorsEnv = Pick<Env, "NOWATCH_ENV" | "CORS_ORIGINS">;

const LOCALHOST = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/** The configured list as serialized origins; entries that are not an origin (`*`, a path, a bare host) are ignored. */
function listedOrigins(raw: string): Set<string> {
  const origins = new Set<string>();
  for (const entry of raw.split(",")) {
    if (!URL.canParse(entry.trim())) continue;
    const url = new URL(entry.trim());
    if (url.origin !== "null" && url.pathname === "/" && !url.search && !url.hash && !url.username) {
      origins.add(url.origin);
    }
  }
  return origins;
}

/** The origin to grant (echoed in Access-Control-Allow-Origin), or null for none. */
export function allowedOrigin(origin: string, env: CorsEnv): string | null {
  if (!origin) return null;
  if (listedOrigins(env.CORS_ORIGINS ?? "").has(origin)) return origin;
  if (isLocal(env) && LOCALHOST.test(origin)) return origin;
  return null;
}

/** Every header a NOWATCH client sends (contract §1 "Security" and "Shared headers", idempotent writes). */
export const CORS_ALLOWED_HEADERS = [
  "authorization",
  "content-type",
  "x-auth-token",
  "shared-user",
  "app-version",
  "idempotency-key",
];

/**
 * Answers every preflight (any path, before routing and auth) with 204: granted origins get
 * Access-Control-Allow-Origin, others none, so the browser refuses the call. Actual answers get the grant too,
 * errors included, with `Vary: Origin`.
 */
export const corsMiddleware = cors({
  origin: (origin, c: Context<AppEnv>) => allowedOrigin(origin, c.env),
  allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
  allowHeaders: CORS_ALLOWED_HEADERS,
  // `deprecation` and `link`: the deprecated login's RFC 9745 notice, readable by a page too.
  exposeHeaders: ["x-request-id", "retry-after", "deprecation", "link"],
  maxAge: 600,
});
