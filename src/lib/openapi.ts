import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { validationHook } from "./validation";

/** Every router of the API is one of these, so every route gets the same validation hook. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

export const BEARER = [{ bearer: [] }];
export const APP_CLIENT = [{ appClient: [] }];

export type Router = ReturnType<typeof createRouter>;
