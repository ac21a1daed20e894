import { createRoute } from "@hono/zod-openapi";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse, notFound, notFoundResponse } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { IdParamsSchema } from "../../records/schemas";
import { isVisible } from "../../sharing/policy";
import { authorizeRead, requireReader, SHARED_USER_PARAMETER } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { SESSION, SessionSchema, type SessionVariant } from "./schemas";

const route = (v: SessionVariant) =>
  createRoute({
    method: "get",
    path: `${v.path}/{id}`,
    operationId: `${v.controller}_findonev1`,
    tags: [v.tag],
    summary: `Fetch ${v.noun}`,
    description: `One ${v.noun} by id. ${v.about} 404 for an unknown id, another user's${v.kind ? `, a session that is not an ${v.noun}` : ""}, or, with \`shared-user\`, one that started before the share's \`sharedSince\`.`,
    security: BEARER,
    middleware: [requireReader],
    parameters: [SHARED_USER_PARAMETER],
    request: { params: IdParamsSchema },
    responses: {
      200: jsonResponse(SessionSchema, `The ${v.noun}`),
      ...errorResponses,
      ...forbiddenResponse,
      ...notFoundResponse,
    },
  });

export default function mount(app: Router, v: SessionVariant = SESSION) {
  app.openapi(route(v), async (c) => {
    const { id } = c.req.valid("param");
    const { grant, access } = authorizeRead(c, "SESSIONS");
    const session = await userStore(c.env, grant.ownerId).getSession(id, v.kind, access);
    if (!session || !isVisible(grant, session.startDatetime)) throw notFound(`No ${v.noun} with this id`);
    return c.json(session, 200);
  });
}
