import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { BATCH_RULES, batchOf, IdsSchema } from "../../records/schemas";
import { ownDataOnly } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { CheckinCreateSchema, toNewCheckin } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/checkin",
  operationId: "checkincontroller_createv1",
  tags: ["checkin"],
  summary: "Create check-ins",
  description: `Stores an array of check-ins (a moment: how activated and how pleasant it felt, related feelings, context and a note) and answers their ids in the order sent. Enums are closed (docs/records.md). ${BATCH_RULES}`,
  security: BEARER,
  middleware: [requireUser, ownDataOnly],
  request: { body: jsonBody(batchOf(CheckinCreateSchema), "The check-ins to store") },
  responses: {
    201: jsonResponse(IdsSchema, "A list of the created check-in IDs"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const items = c.req.valid("json");
    const ids = await userStore(c.env, c.get("user").id).createCheckins(items.map(toNewCheckin));
    return c.json(ids, 201);
  });
}
