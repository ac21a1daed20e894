import { createRouter } from "../../http/router";
import auditLog from "./audit-log";
import create from "./create";
import remove from "./delete";
import get from "./get";
import list from "./list";
import update from "./update";
import uploads from "./uploads";

/** The admin-firmware tag (docs/firmware.md "Admin side"): releases, their rollout and the audit log. */
export function adminFirmwareRoutes() {
  const app = createRouter();
  for (const mount of [create, uploads, list, auditLog, get, update, remove]) mount(app);
  return app;
}
