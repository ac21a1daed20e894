import { createRouter } from "../../http/router";
import create from "./create";
import read from "./read";
import update from "./update";

/** Webhook endpoints of the caller's own changes (docs/changes.md "Webhooks"). */
export function webhookRoutes() {
  const app = createRouter();
  for (const mount of [create, read, update]) mount(app);
  return app;
}
