import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { refuseSharedWrite } from "./access";

/** For write routes, after `requireUser`: a request carrying `shared-user` is refused (403) before anything else. */
export const ownDataOnly = createMiddleware<AppEnv>(async (c, next) => {
  refuseSharedWrite(c);
  await next();
});
