import { createRoute, z } from "@hono/zod-openapi";
import { requireAppClient } from "../../auth/app-client";
import { sendVerificationCode } from "../../auth/email-verification";
import { getDb } from "../../db";
import { consumeCode } from "../../db/one-time-codes";
import { findUserByEmail, markEmailVerified } from "../../db/users";
import { APP_CLIENT, type Router } from "../../http/router";
import { badRequest, errorResponses, serviceUnavailableResponse, tooManyRequestsResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { EmailSchema, jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { nowIso } from "../../lib/time";
import { limitDescription, limited } from "../../rate-limiter/guard";
import { CodeSchema } from "./schemas";

export const VerifyEmailRequestSchema = z
  .object({
    email: EmailSchema,
    code: CodeSchema.openapi({ description: "The 6-digit code mailed at registration (or by a resend)" }),
  })
  .openapi("VerifyEmailRequest");

export const ResendVerificationRequestSchema = z.object({ email: EmailSchema }).openapi("ResendVerificationRequest");

const verifyRoute = createRoute({
  method: "post",
  path: "/v1/auth/verify_email",
  operationId: "authcontroller_verifyemailv1",
  tags: ["auth"],
  summary: "Verify the email address",
  description: `Proves that the caller owns the account's address with the code mailed at registration. The code is valid for ${LIMITS.verificationCodeTtlSeconds / 3600} hours, is spent on use, and allows ${LIMITS.codeMaxAttempts} wrong guesses. Until then invites and requests addressed to the account are not listed and cannot be answered, and no share to or from it is active. An already verified address answers success again. A wrong, expired or unknown code, or an unknown email, gets the same 400. ${limitDescription("verifyCode", "wrong codes")} The count spans every code the email was sent. 503 when the limiter cannot be reached.`,
  security: APP_CLIENT,
  middleware: [requireAppClient],
  request: { body: jsonBody(VerifyEmailRequestSchema) },
  responses: {
    201: jsonResponse(StatusSuccessSchema, "Email address verified"),
    ...errorResponses,
    ...tooManyRequestsResponse,
    ...serviceUnavailableResponse,
  },
});

const resendRoute = createRoute({
  method: "post",
  path: "/v1/auth/verify_email/resend",
  operationId: "authcontroller_resendverificationv1",
  tags: ["auth"],
  summary: "Send a new email verification code",
  description: `Mails a new verification code to an account whose address is not verified yet, replacing the earlier one. Answers the same whether the email has no account, an unverified one or a verified one (then nothing is sent). ${limitDescription("verifyMail", "requests")}`,
  security: APP_CLIENT,
  middleware: [requireAppClient],
  request: { body: jsonBody(ResendVerificationRequestSchema) },
  responses: {
    201: jsonResponse(StatusSuccessSchema, "Code sent if the account needs one"),
    ...errorResponses,
    ...tooManyRequestsResponse,
  },
});

const INVALID_CODE = "Invalid or expired verification code";

export default function mount(app: Router) {
  app.openapi(verifyRoute, async (c) => {
    const { email, code } = c.req.valid("json");
    const db = getDb(c.env.DB);
    // Every refusal counts (unknown email, no code, expired, spent, wrong), so guessing stays bounded across codes.
    await limited(c, "verifyCode", email, async () => {
      const user = await findUserByEmail(db, email);
      if (!user) throw badRequest(INVALID_CODE);
      if (user.emailVerifiedAt !== null) return;
      const check = await consumeCode(db, "EMAIL_VERIFICATION", user.id, code);
      if (check !== "ok") {
        const refusal = { event: "verification_code_refused", reason: check, requestId: c.get("requestId") };
        console.warn(JSON.stringify(refusal));
        throw badRequest(INVALID_CODE);
      }
      await markEmailVerified(db, user.id, nowIso());
    });
    return c.json(SUCCESS, 201);
  });

  app.openapi(resendRoute, async (c) => {
    const { email } = c.req.valid("json");
    const db = getDb(c.env.DB);
    // Counted per email whether or not it has an account, so a 429 reveals nothing about which accounts exist.
    await limited(c, "verifyMail", email, async () => {
      const user = await findUserByEmail(db, email);
      if (user && user.emailVerifiedAt === null) await sendVerificationCode(db, c.env, user);
    });
    return c.json(SUCCESS, 201);
  });
}
