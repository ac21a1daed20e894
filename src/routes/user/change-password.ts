import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { hashPassword } from "../../auth/passwords";
import { revokeSessions } from "../../auth/sessions";
import { getDb } from "../../db";
import { updateUserStatement } from "../../db/users";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { PasswordSchema } from "../auth/schemas";

export const ChangePasswordRequestSchema = z.object({ new_password: PasswordSchema }).openapi("ChangePasswordRequest");

const route = createRoute({
  method: "post",
  path: "/v1/user/change_password",
  operationId: "usercontroller_changepasswordv1",
  tags: ["user"],
  summary: "Change password",
  description:
    "Sets a new password for the signed-in caller. Every other session is signed out at once (its access and refresh tokens stop working); the caller's own session stays signed in.",
  security: BEARER,
  middleware: [requireUser],
  request: { body: jsonBody(ChangePasswordRequestSchema) },
  responses: { 201: jsonResponse(StatusSuccessSchema, "Password changed"), ...errorResponses },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const user = c.get("user");
    const db = getDb(c.env.DB);
    const passwordHash = await hashPassword(c.req.valid("json").new_password);
    // One transaction: the new password and the end of every other session (their access tokens die at once).
    await db.batch([
      updateUserStatement(db, user.id, { passwordHash }),
      ...revokeSessions(db, user.id, c.get("sessionFamily")),
    ]);
    return c.json(SUCCESS, 201);
  });
}
