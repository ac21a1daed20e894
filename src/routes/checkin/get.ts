import { createRoute } from "@hono/zod-openapi";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse, notFound, notFoundResponse } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { IdParamsSchema } from "../../records/schemas";
import { isVisible } from "../../sharing/policy";
import { authorizeRead, requireReader, SHARED_USER_PARAMETER } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
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
  middleware: [requireReader],
  parameters: [SHARED_USER_PARAMETER],
  request: { params: IdParamsSchema },
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
    const { grant, access } = authorizeRead(c, "CHECKINS");
    const checkin = await userStore(c.env, grant.ownerId).getCheckin(id, access);
    if (!checkin || !isVisible(grant, checkin.datetime)) throw notFound("No check-in with this id");
    return c.json(checkin, 200);
  });
}
