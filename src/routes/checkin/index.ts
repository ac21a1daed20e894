import { createRouter } from "../../http/router";
import create from "./create";
import remove from "./delete";
import get from "./get";
import list from "./list";

/** The checkin tag ("User check-ins and wellness tracking"): designed here in the contract's style. */
export function checkinRoutes() {
  const app = createRouter();
  for (const mount of [create, list, get, remove]) mount(app);
  return app;
}
