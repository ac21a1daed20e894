import { createRouter } from "../../http/router";
import download from "./download";
import latest from "./latest";
import list from "./list";
import report from "./report";

/** The firmware tag (docs/firmware.md "Device side"): what a user's watch installs, its download and its outcome. */
export function firmwareRoutes() {
  const app = createRouter();
  for (const mount of [latest, list, download, report]) mount(app);
  return app;
}
