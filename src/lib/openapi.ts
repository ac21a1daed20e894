import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { validationHook } from "./validation";

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
