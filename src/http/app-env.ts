import type { User } from "../db/schema";
import type { ReadScope } from "../sharing/policy";

/** Hono's environment for this Worker: bindings plus what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** The authenticated caller, loaded from D1 on this request (set by `requireUser` and `requireReader`). */
    user: User;
    /** The refresh-token family of the caller's session (from the access token). */
    sessionFamily: string;
    /** Whose data this request reads (set by `requireReader`, src/sharing/read-scope.ts). */
    readScope: ReadScope | undefined;
  };
}
