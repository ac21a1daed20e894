import type { User } from "./db/schema";
import type { ActiveShare } from "./db/shares";

/** Hono's environment for this Worker: bindings plus what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** The authenticated caller, loaded from D1 on this request (set by `requireUser`). */
    user: User;
    /** The refresh-token family of the caller's session (from the access token). */
    sessionFamily: string;
    /** Share lookups of this request by owner id (src/sharing/access.ts): one D1 query per request at most. */
    shareLookups: Map<string, Promise<ActiveShare | null>> | undefined;
  };
}
