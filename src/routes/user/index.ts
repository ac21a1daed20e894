import { createRouter } from "../../http/router";
import adminAll from "./admin-all";
import adminBetaAccess from "./admin-beta-access";
import betaAccess from "./beta-access";
import changePassword from "./change-password";
import deleteUser from "./delete-user";
import getUser from "./get-user";
import settings from "./settings";
import updateUser from "./update-user";

/** The user tag (contract §3): profile, settings, password, beta access, account deletion and admin views. */
export function userRoutes() {
  const app = createRouter();
  for (const mount of [
    getUser,
    updateUser,
    deleteUser,
    betaAccess,
    changePassword,
    settings,
    adminAll,
    adminBetaAccess,
  ]) {
    mount(app);
  }
  return app;
}
