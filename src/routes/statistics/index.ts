import { createRouter } from "../../http/router";
import get from "./get";

/** The statistics tag ("Aggregated health statistics", contract §8). */
export function statisticsRoutes() {
  const app = createRouter();
  get(app);
  return app;
}
