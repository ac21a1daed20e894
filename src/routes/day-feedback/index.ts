import { createRouter } from "../../http/router";
import create from "./create";
import list from "./list";

/** The day-feedback tag (contract §7) and its GET counterpart. */
export function dayFeedbackRoutes() {
  const app = createRouter();
  for (const mount of [create, list]) mount(app);
  return app;
}
