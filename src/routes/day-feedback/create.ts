import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { BATCH_RULES, batchOf, IdsSchema } from "../../records/schemas";
import { ownDataOnly } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { DayFeedbackCreateSchema, toNewDayFeedback } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/day-feedback",
  operationId: "dayfeedbackcontroller_createv1",
  tags: ["day-feedback"],
  summary: "Creates new day feedback ('How was your day/sleep?')",
  description: `Stores daily answers: above all the Now tab's two questions, type 5 DAY ("How was your day?") and 6 SLEEP ("How was your sleep?"); types 0-4 (the other SubjectiveInputType values) rate another aspect of the whole day in the same way. Value 1 Very bad … 5 Very good for every type. One answer per type and local day (the date part of \`datetime\` in the offset sent): a new answer for the same day replaces the stored one and keeps its id (later elements of a batch win). Answers the ids in the order sent. ${BATCH_RULES}`,
  security: BEARER,
  middleware: [requireUser, ownDataOnly],
  request: { body: jsonBody(batchOf(DayFeedbackCreateSchema), "The answers to store") },
  responses: {
    201: jsonResponse(IdsSchema, "The ids of the stored answers, in the order sent"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const items = c.req.valid("json");
    const ids = await userStore(c.env, c.get("user").id).saveDayFeedback(items.map(toNewDayFeedback));
    return c.json(ids, 201);
  });
}
