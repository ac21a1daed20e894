import { createRouter } from "../../http/router";
import firmwareKeys from "./firmware-keys";
import health from "./health";
import jwks from "./jwks";

export function systemRoutes() {
  const app = createRouter();
  health(app);
  jwks(app);
  firmwareKeys(app);
  return app;
}
