import { createRoute, z } from "@hono/zod-openapi";
import { requireAppClient } from "../../auth/app-client";
import { getDb } from "../../db";
import { newCode, storeCode } from "../../db/one-time-codes";
import { findUserByEmail } from "../../db/users";
import { APP_CLIENT, type Router } from "../../http/router";
import { errorResponses, tooManyRequestsResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { EmailSchema, jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { createMailer } from "../../mail/mailer";
import { limitDescription, limited } from "../../rate-limiter/guard";

export const ForgotPasswordRequestSchema = z.object({ email: EmailSchema }).openapi("ForgotPasswordRequest");

const route = createRoute({
  method: "post",
  path: "/v1/auth/forgot_password",
  operationId: "authcontroller_forgotpasswordv1",
  tags: ["auth"],
  summary: "Reset password",
  description: `Emails a 6-digit verification code, valid for ${LIMITS.resetCodeTtlSeconds / 60} minutes and usable once, to the account's address. Answers the same whether or not the email has an account. ${limitDescription("resetMail", "requests")}`,
  security: APP_CLIENT,
  middleware: [requireAppClient],
  request: { body: jsonBody(ForgotPasswordRequestSchema) },
  responses: {
    201: jsonResponse(StatusSuccessSchema, "Code sent if the account exists"),
    ...errorResponses,
    ...tooManyRequestsResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { email } = c.req.valid("json");
    const db = getDb(c.env.DB);
    // Counted per email whether or not it has an account, so a 429 reveals nothing about which accounts exist.
    await limited(c, "resetMail", email, async () => {
      const user = await findUserByEmail(db, email);
      if (!user) return;
      const code = newCode();
      await storeCode(db, "PASSWORD_RESET", user.id, code);
      await createMailer(db, c.env).send({
        kind: "PASSWORD_RESET",
        to: user.email,
        subject: "Your NOWATCH verification code",
        body: `Your NOWATCH verification code is ${code}. It expires in ${LIMITS.resetCodeTtlSeconds / 60} minutes.\nIf you did not ask to reset your password, ignore this email.`,
      });
    });
    return c.json(SUCCESS, 201);
  });
}
