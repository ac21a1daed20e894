import { sessionViewRoutes } from "../session";
import { ACTIVITY } from "../session/schemas";

/**
 * The activity tag ("Sessions wrapper for activities"): the session operations over sessions with type 1-122, at
 * /v1/activity. Same store and records as /v1/session; an activity carries no subjective inputs.
 */
export function activityRoutes() {
  return sessionViewRoutes(ACTIVITY);
}
