import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { errorResponses, forbiddenResponse, notFound, notFoundResponse } from "../../lib/errors";
import { BEARER, type Router } from "../../lib/openapi";
import { jsonResponse } from "../../lib/schemas";
import { isVisible, resolveReadScope } from "../../sharing/access";
import { userStore } from "../../user-store/user-store";
import { IdParamsSchema, SharedUserHeadersSchema } from "../session/common";
import { CheckinSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/checkin/{id}",
  operationId: "checkincontroller_findonev1",
  tags: ["checkin"],
  summary: "Fetch check-in",
  description:
    "One check-in by id. 404 for an unknown id, another user's, or, with `shared-user`, one before the share's `sharedSince`.",
  security: BEARER,
  middleware: [requireUser],
  request: { params: IdParamsSchema, headers: SharedUserHeadersSchema },
  responses: {
    200: jsonResponse(CheckinSchema, "The check-in"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const scope = await resolveReadScope(c, { dataType: "CHECKINS" });
    const checkin = await userStore(c.env, scope.ownerId).getCheckin(id);
    if (!checkin || !isVisible(scope, checkin.datetime)) throw notFound("No check-in with this id");
    return c.json(checkin, 200);
  });
}
