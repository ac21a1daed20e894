import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse, notFound, notFoundResponse } from "../../lib/errors";
import { jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { IdParamsSchema } from "../../records/schemas";
import { ownDataOnly } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { SESSION, type SessionVariant } from "./schemas";

const route = (v: SessionVariant) =>
  createRoute({
    method: "delete",
    path: `${v.path}/{id}`,
    operationId: `${v.controller}_deletev1`,
    tags: [v.tag],
    summary: `Delete ${v.noun}`,
    description: `Deletes one of the caller's ${v.plural}. ${v.about} 404 for an unknown id or another user's.`,
    security: BEARER,
    middleware: [requireUser, ownDataOnly],
    request: { params: IdParamsSchema },
    responses: {
      200: jsonResponse(StatusSuccessSchema, `The ${v.noun} was deleted`),
      ...errorResponses,
      ...forbiddenResponse,
      ...notFoundResponse,
    },
  });

export default function mount(app: Router, v: SessionVariant = SESSION) {
  app.openapi(route(v), async (c) => {
    const { id } = c.req.valid("param");
    if (!(await userStore(c.env, c.get("user").id).deleteSession(id, v.kind))) {
      throw notFound(`No ${v.noun} with this id`);
    }
    return c.json(SUCCESS, 200);
  });
}
