import { createRoute, z } from "@hono/zod-openapi";
import { requireAppClient } from "../../auth/app-client";
import { sendVerificationCode } from "../../auth/email-verification";
import { hashPassword } from "../../auth/passwords";
import { getDb } from "../../db";
import { attachPendingInvitations } from "../../db/invitations";
import { insertUser, normalizeEmail } from "../../db/users";
import { APP_CLIENT, type Router } from "../../http/router";
import { conflict, conflictResponse, errorResponses } from "../../lib/errors";
import { newUserId } from "../../lib/ids";
import {
  AcceptedAtSchema,
  EmailSchema,
  jsonBody,
  jsonResponse,
  NameSchema,
  StatusSuccessSchema,
  SUCCESS,
} from "../../lib/schemas";
import { toIso } from "../../lib/time";
import { PasswordSchema } from "./schemas";

export const RegisterRequestSchema = z
  .object({
    email: EmailSchema.openapi({ description: "Used as the login identifier" }),
    password: PasswordSchema,
    first_name: NameSchema.openapi({ example: "Sponge Bob" }),
    last_name: NameSchema.openapi({ example: "Squarepants" }),
    toc_accepted_at: AcceptedAtSchema.openapi({ description: "When the Terms of Service were accepted" }),
    privacy_policy_accepted_at: AcceptedAtSchema.openapi({ description: "When the Privacy Policy was accepted" }),
  })
  .openapi("RegisterRequest");

const route = createRoute({
  method: "post",
  path: "/v1/auth/register",
  operationId: "authcontroller_registerv1",
  tags: ["auth"],
  summary: "Register",
  security: APP_CLIENT,
  middleware: [requireAppClient],
  request: { body: jsonBody(RegisterRequestSchema) },
  responses: {
    201: jsonResponse(StatusSuccessSchema, "Account created"),
    ...errorResponses,
    ...conflictResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const db = getDb(c.env.DB);
    const id = newUserId();
    const created = await insertUser(db, {
      id,
      email: body.email,
      passwordHash: await hashPassword(body.password),
      firstName: body.first_name,
      lastName: body.last_name,
      tocAcceptedAt: toIso(body.toc_accepted_at),
      privacyPolicyAcceptedAt: toIso(body.privacy_policy_accepted_at),
    });
    if (!created) throw conflict("An account with this email already exists");
    // Sharing invites and requests sent to this email before the account existed now belong to it (contract §11);
    // they stay hidden and unanswerable until the address is verified with the code mailed here.
    await attachPendingInvitations(db, id, body.email);
    await sendVerificationCode(db, c.env, { id, email: normalizeEmail(body.email) });
    return c.json(SUCCESS, 201);
  });
}
