import type { Context } from "hono";
import { getPath } from "hono/utils/url";

/** The contract's server is the relative URL `/nowatch`: every operation is served there too (contract §1 Servers). */
export const SERVER_PREFIX = "/nowatch";

/**
 * The router's path: the URL path without the `/nowatch` prefix (once, and only as a whole segment). The request
 * itself is never rewritten, so its URL keeps what the client asked for (see `requestedPath`).
 */
export function routingPath(request: Request): string {
  const path = getPath(request);
  if (path === SERVER_PREFIX) return "/";
  return path.startsWith(`${SERVER_PREFIX}/`) ? path.slice(SERVER_PREFIX.length) : path;
}

/**
 * The path the client requested, prefix included, for error bodies. Read from the request URL only: no header (which
 * a client could set) can change it.
 */
export const requestedPath = (c: Context): string => getPath(c.req.raw);
