import { sessionViewRoutes } from "../session";
import { INTENTION } from "../session/schemas";

/**
 * The intention tag ("Sessions wrapper for intentions"): the session operations over sessions with type 0, at
 * /v1/intention. Same store and records as /v1/session; an intention carries at least one subjective input.
 */
export function intentionRoutes() {
  return sessionViewRoutes(INTENTION);
}
