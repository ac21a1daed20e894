import { type Hook, OpenAPIHono } from "@hono/zod-openapi";
import { ApiError } from "../lib/errors";
import { issueMessages } from "../lib/validation";
import type { AppEnv } from "./app-env";

/** The validation hook for every route: a failed zod parse becomes a 400 in the NOWATCH error body. */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes whose input types differ
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (!result.success) throw new ApiError("VALIDATION_FAILED", issueMessages(result.error.issues));
};

/**
 * Every router of the API is one of these, so every route gets the same validation hook. Only the top-level app's
 * `getPath` routes (sub-routers are merged into it); it strips the `/nowatch` prefix.
 */
export function createRouter(options: { getPath?: (request: Request) => string } = {}) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook, ...options });
}

export const BEARER = [{ bearer: [] }];
export const APP_CLIENT = [{ appClient: [] }];
/** An operation anyone may call: stated explicitly, so no reader (or linter) takes it for a forgotten scheme. */
export const PUBLIC: { [scheme: string]: string[] }[] = [];

export type Router = ReturnType<typeof createRouter>;
