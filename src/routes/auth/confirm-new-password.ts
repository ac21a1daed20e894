import { createRoute, z } from "@hono/zod-openapi";
import { requireAppClient } from "../../auth/app-client";
import { hashPassword } from "../../auth/passwords";
import { revokeSessions } from "../../auth/sessions";
import { getDb } from "../../db";
import { consumeCode } from "../../db/one-time-codes";
import { bumpTokenVersion, findUserByEmail, markEmailVerified, updateUserStatement } from "../../db/users";
import { APP_CLIENT, type Router } from "../../http/router";
import { badRequest, errorResponses, serviceUnavailableResponse, tooManyRequestsResponse } from "../../lib/errors";
import { EmailSchema, jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { limitDescription, limited } from "../../rate-limiter/guard";
import { CodeSchema, PasswordSchema } from "./schemas";

export const ConfirmNewPasswordRequestSchema = z
  .object({
    email: EmailSchema,
    code: CodeSchema,
    new_password: PasswordSchema,
  })
  .openapi("ConfirmNewPasswordRequest");

const route = createRoute({
  method: "post",
  path: "/v1/auth/confirm_new_password",
  operationId: "authcontroller_confirmnewpasswordv1",
  tags: ["auth"],
  summary: "Change password",
  description: `Sets a new password with the emailed verification code. The code is spent; every existing session of the account is signed out. Since the code was mailed to the account's address, a completed reset also verifies the address (\`emailVerified\`). ${limitDescription("resetCode", "wrong codes")} The count spans every code the email was sent, and once limited even the right code is refused. 503 when the limiter cannot be reached (code guesses are never let through unguarded).`,
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
      const check = await consumeCode(db, "PASSWORD_RESET", user.id, code);
      if (check !== "ok") {
        console.warn(JSON.stringify({ event: "reset_code_refused", reason: check, requestId: c.get("requestId") }));
        throw badRequest(INVALID_CODE);
      }
      const passwordHash = await hashPassword(new_password);
      // The code came to the account's address, so a completed reset also proves that the caller owns it.
      await db.batch([
        updateUserStatement(db, user.id, { passwordHash }),
        markEmailVerified(db, user.id, nowIso()),
        bumpTokenVersion(db, user.id),
        ...revokeSessions(db, user.id),
      ]);
    });
    return c.json(SUCCESS, 201);
  });
}
