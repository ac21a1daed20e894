import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { getDb } from "../../db";
import { requestBetaAccess } from "../../db/beta-access";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { createMailer } from "../../mail/mailer";

const route = createRoute({
  method: "post",
  path: "/v1/user/beta_access",
  operationId: "usercontroller_requestbetaaccessv1",
  tags: ["user"],
  summary: "Request beta access",
  description:
    "Stores the request and emails the notice to the legal address; an admin approves or denies it (POST /v1/user/admin/beta_access/{id}/approve|deny). Asking again while a request is pending changes nothing.",
  security: BEARER,
  middleware: [requireUser],
  responses: { 201: jsonResponse(StatusSuccessSchema, "Successful request"), ...errorResponses },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const user = c.get("user");
    const db = getDb(c.env.DB);
    if (await requestBetaAccess(db, user.id)) {
      await createMailer(db, c.env).send({
        kind: "BETA_ACCESS_REQUEST",
        to: c.env.BETA_ACCESS_EMAIL,
        subject: `Beta access request from ${user.email}`,
        body: `${user.firstName} ${user.lastName} <${user.email}> (user ${user.id}) asks for NOWATCH beta access.\nReview it in the admin dashboard.`,
      });
    }
    return c.json(SUCCESS, 201);
  });
}
