import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { BATCH_RULES, batchOf, IdsSchema } from "../../records/schemas";
import { ownDataOnly } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { SESSION, type SessionVariant, toNewSession } from "./schemas";

const route = (v: SessionVariant) =>
  createRoute({
    method: "post",
    path: v.path,
    operationId: `${v.controller}_createv1`,
    tags: [v.tag],
    summary: `Create ${v.plural}`,
    description: `Stores an array of ${v.plural} and answers their ids (UUIDs) in the order sent. ${v.about} \`end_datetime\` absent or null = ongoing; it must not be before \`start_datetime\`. ${BATCH_RULES}`,
    security: BEARER,
    middleware: [requireUser, ownDataOnly],
    request: { body: jsonBody(batchOf(v.create), `The ${v.plural} to store`) },
    responses: {
      201: jsonResponse(IdsSchema, `A list of the created ${v.noun} IDs`),
      ...errorResponses,
      ...forbiddenResponse,
    },
  });

export default function mount(app: Router, v: SessionVariant = SESSION) {
  app.openapi(route(v), async (c) => {
    const items = c.req.valid("json");
    const ids = await userStore(c.env, c.get("user").id).createSessions(items.map(toNewSession));
    return c.json(ids, 201);
  });
}
