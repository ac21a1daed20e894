import { createRouter } from "../../http/router";
import health from "./health";
import jwks from "./jwks";

export function systemRoutes() {
  const app = createRouter();
  health(app);
  jwks(app);
  return app;
}
