import { createRouter } from "../../http/router";
import create from "./create";
import remove from "./delete";
import get from "./get";
import list from "./list";
import { SESSION, type SessionVariant } from "./schemas";
import update from "./update";

/** Mounts the five session operations for one view of the sessions store (session, activity or intention). */
export function sessionViewRoutes(variant: SessionVariant) {
  const app = createRouter();
  for (const mount of [create, list, get, update, remove]) mount(app, variant);
  return app;
}

/** The session tag (contract §6, §11 Sessions Context), plus PUT and DELETE by id. */
export function sessionRoutes() {
  return sessionViewRoutes(SESSION);
}
