import { createRoute, z } from "@hono/zod-openapi";
import { requireAppClient } from "../../auth/app-client";
import { hashPassword } from "../../auth/passwords";
import { revokeAllRefreshTokens } from "../../auth/sessions";
import { getDb } from "../../db";
import { consumeResetCode } from "../../db/password-resets";
import { bumpTokenVersion, findUserByEmail, updateUser } from "../../db/users";
import { badRequest, errorResponses, serviceUnavailableResponse, tooManyRequestsResponse } from "../../lib/errors";
import { APP_CLIENT, type Router } from "../../lib/openapi";
import { EmailSchema, jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { limitDescription, limited } from "../../rate-limiter/guard";
import { PasswordSchema } from "./schemas";

export const ConfirmNewPasswordRequestSchema = z
  .object({
    email: EmailSchema,
    code: z
      .string()
      .regex(/^\d{6}$/, "code must be the 6-digit code from the email")
      .openapi({ example: "123456" }),
    new_password: PasswordSchema,
  })
  .openapi("ConfirmNewPasswordRequest");

const route = createRoute({
  method: "post",
  path: "/v1/auth/confirm_new_password",
  operationId: "authcontroller_confirmnewpasswordv1",
  tags: ["auth"],
  summary: "Change password",
  description: `Sets a new password with the emailed verification code. The code is spent; every existing session of the account is signed out. ${limitDescription("resetCode", "wrong codes")} The count spans every code the email was sent, and once limited even the right code is refused. 503 when the limiter cannot be reached (code guesses are never let through unguarded).`,
  security: APP_CLIENT,
  middleware: [requireAppClient],
  request: { body: jsonBody(ConfirmNewPasswordRequestSchema) },
  responses: {
    201: jsonResponse(StatusSuccessSchema, "Password changed"),
    ...errorResponses,
    ...tooManyRequestsResponse,
    ...serviceUnavailableResponse,
  },
});

const INVALID_CODE = "Invalid or expired verification code";

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { email, code, new_password } = c.req.valid("json");
    const db = getDb(c.env.DB);
    // Every refusal counts (unknown email, no code, expired, spent, wrong), so guessing stays bounded across codes.
    await limited(c, "resetCode", email, async () => {
      const user = await findUserByEmail(db, email);
      if (!user) throw badRequest(INVALID_CODE);
      const check = await consumeResetCode(db, user.id, code);
      if (check !== "ok") {
        console.warn(JSON.stringify({ event: "reset_code_refused", reason: check, requestId: c.get("requestId") }));
        throw badRequest(INVALID_CODE);
      }
      await updateUser(db, user.id, { passwordHash: await hashPassword(new_password) });
      await db.batch([bumpTokenVersion(db, user.id), revokeAllRefreshTokens(db, user.id)]);
    });
    return c.json(SUCCESS, 201);
  });
}
