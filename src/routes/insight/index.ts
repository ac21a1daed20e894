import { createRouter } from "../../http/router";
import create from "./create";
import feedback from "./feedback";
import list from "./list";

/** The insight tag (contract §5): reflections from the research-insight catalogue, their feedback and history. */
export function insightRoutes() {
  const app = createRouter();
  for (const mount of [create, feedback, list]) mount(app);
  return app;
}
