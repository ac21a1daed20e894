import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse, notFound, notFoundResponse } from "../../lib/errors";
import { jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { IdParamsSchema } from "../../records/schemas";
import { ownDataOnly } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";

const route = createRoute({
  method: "delete",
  path: "/v1/checkin/{id}",
  operationId: "checkincontroller_deletev1",
  tags: ["checkin"],
  summary: "Delete check-in",
  description: "Deletes one of the caller's check-ins. 404 for an unknown id or another user's.",
  security: BEARER,
  middleware: [requireUser, ownDataOnly],
  request: { params: IdParamsSchema },
  responses: {
    200: jsonResponse(StatusSuccessSchema, "The check-in was deleted"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await userStore(c.env, c.get("user").id).deleteCheckin(id))) throw notFound("No check-in with this id");
    return c.json(SUCCESS, 200);
  });
}
