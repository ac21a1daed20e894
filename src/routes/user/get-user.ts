import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { errorResponses } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { toUserDto, UserDtoSchema } from "./dto";

const route = createRoute({
  method: "get",
  path: "/v1/user",
  operationId: "usercontroller_findonev1",
  tags: ["user"],
  summary: "Fetch profile",
  security: BEARER,
  middleware: [requireUser],
  responses: { 200: jsonResponse(UserDtoSchema, "The caller's profile"), ...errorResponses },
});

export default function mount(app: Router) {
  app.openapi(route, (c) => c.json(toUserDto(c.get("user")), 200));
}
