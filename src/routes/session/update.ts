import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { badRequest, errorResponses, forbiddenResponse, notFound, notFoundResponse } from "../../lib/errors";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { IdParamsSchema } from "../../records/schemas";
import { ownDataOnly } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { SESSION, SessionSchema, type SessionVariant, toSessionPatch } from "./schemas";

const route = (v: SessionVariant) =>
  createRoute({
    method: "put",
    path: `${v.path}/{id}`,
    operationId: `${v.controller}_updatev1`,
    tags: [v.tag],
    summary: `Update ${v.noun}`,
    description: `A partial update, as PUT /v1/user: fields present replace the stored ones, absent fields stay; inside \`info\`, keys present replace theirs. E.g. \`{"end_datetime": "…"}\` ends an ongoing ${v.noun}, \`{"end_datetime": null}\` reopens it. The result must keep \`end_datetime\` at or after \`start_datetime\` (400). ${v.about} Answers the updated ${v.noun}; 404 for an unknown id or another user's.`,
    security: BEARER,
    middleware: [requireUser, ownDataOnly],
    request: { params: IdParamsSchema, body: jsonBody(v.update, "The fields to change") },
    responses: {
      200: jsonResponse(SessionSchema, `The updated ${v.noun}`),
      ...errorResponses,
      ...forbiddenResponse,
      ...notFoundResponse,
    },
  });

export default function mount(app: Router, v: SessionVariant = SESSION) {
  app.openapi(route(v), async (c) => {
    const { id } = c.req.valid("param");
    const patch = toSessionPatch(c.req.valid("json"));
    const result = await userStore(c.env, c.get("user").id).updateSession(id, patch, v.kind);
    if (result.outcome === "not_found") throw notFound(`No ${v.noun} with this id`);
    if (result.outcome === "invalid") throw badRequest(result.message);
    return c.json(result.session, 200);
  });
}
