import { createMiddleware } from "hono/factory";
import { appClients } from "../config";
import type { AppEnv } from "../http/app-env";
import { timingSafeEqual, utf8 } from "../lib/encoding";
import { unauthorized } from "../lib/errors";

export type AppClientFailure = "missing" | "not_base64" | "no_separator" | "unknown_client" | "wrong_secret";

/**
 * Checks the app-client header of the non-JWT auth routes (contract §1 Security): `x-auth-token` is
 * base64(`<secret>+<clientId>`). The client id is after the last `+`, so a secret may itself contain `+`.
 */
export function checkAppClient(header: string | undefined, clients: Map<string, string>): AppClientFailure | null {
  if (!header) return "missing";
  let decoded: string;
  try {
    decoded = atob(header.trim());
  } catch {
    return "not_base64";
  }
  const plus = decoded.lastIndexOf("+");
  if (plus <= 0 || plus === decoded.length - 1) return "no_separator";
  const secret = decoded.slice(0, plus);
  const expected = clients.get(decoded.slice(plus + 1));
  if (expected === undefined) return "unknown_client";
  return timingSafeEqual(utf8(secret), utf8(expected)) ? null : "wrong_secret";
}

export const requireAppClient = createMiddleware<AppEnv>(async (c, next) => {
  const failure = checkAppClient(c.req.header("x-auth-token"), appClients(c.env));
  if (failure) {
    console.warn(JSON.stringify({ event: "app_client_refused", reason: failure, requestId: c.get("requestId") }));
    throw unauthorized("Invalid or missing x-auth-token");
  }
  await next();
});
