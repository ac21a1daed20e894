import { createRouter } from "../../http/router";
import confirmNewPassword from "./confirm-new-password";
import forgotPassword from "./forgot-password";
import login from "./login";
import refresh from "./refresh";
import register from "./register";
import signOut from "./sign-out";
import verifyEmail from "./verify-email";

/** The auth tag (contract §2): non-JWT routes guarded by the `x-auth-token` app-client header. */
export function authRoutes() {
  const app = createRouter();
  for (const mount of [register, login, refresh, forgotPassword, confirmNewPassword, verifyEmail, signOut]) mount(app);
  return app;
}
