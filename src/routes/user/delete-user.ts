import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { users } from "../../db/schema";
import { deleteUserExports } from "../../exports/jobs";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { userStore } from "../../user-store/user-store";

const route = createRoute({
  method: "delete",
  path: "/v1/user",
  operationId: "usercontroller_deletev1",
  tags: ["user"],
  summary: "Delete account",
  description:
    "Deletes the caller's account for good: measurements and personal records, credentials and tokens (they stop working at once), settings, beta-access requests, sharing rows, export jobs and their archives.",
  security: BEARER,
  middleware: [requireUser],
  responses: { 200: jsonResponse(StatusSuccessSchema, "Account deleted"), ...errorResponses },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const user = c.get("user");
    // The user's own store first: if that fails the account still exists and the client can retry; deleting the
    // D1 row removes every dependent row (foreign keys ON DELETE CASCADE) in the same statement.
    await userStore(c.env, user.id).deleteAll();
    await deleteUserExports(c.env.EXPORTS, user.id);
    await getDb(c.env.DB).delete(users).where(eq(users.id, user.id));
    return c.json(SUCCESS, 200);
  });
}
