import { createRouter } from "../../http/router";
import adminAll from "./admin-all";
import adminBetaAccess from "./admin-beta-access";
import betaAccess from "./beta-access";
import changePassword from "./change-password";
import deleteUser from "./delete-user";
import exportData from "./export";
import exportCreate from "./export-create";
import exportList from "./export-list";
import exportResult from "./export-result";
import getUser from "./get-user";
import settings from "./settings";
import updateUser from "./update-user";

/** The user tag (contract §3): profile, settings, password, beta access, account deletion, exports and admin views. */
export function userRoutes() {
  const app = createRouter();
  for (const mount of [
    getUser,
    updateUser,
    deleteUser,
    betaAccess,
    changePassword,
    settings,
    exportData,
    exportCreate,
    exportList,
    exportResult,
    adminAll,
    adminBetaAccess,
  ]) {
    mount(app);
  }
  return app;
}
