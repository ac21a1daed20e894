import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse, notFound, notFoundResponse } from "../../lib/errors";
import { jsonBody, jsonResponse, StatusSuccessSchema, SUCCESS } from "../../lib/schemas";
import { toIso } from "../../lib/time";
import { BATCH_RULES, batchOf } from "../../records/schemas";
import { ownDataOnly } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { InsightFeedbackCreateSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v2/insight/feedback",
  operationId: "insightcontroller_createfeedbackv2",
  tags: ["insight"],
  summary: "Send feedback on reflections",
  description: `Stores thumbs up/down per section of a reflection. \`instance_id\` is the id of the reflection rated (from POST /v2/insight); one the caller does not have answers 404 naming its index, and nothing is stored. Every element is kept (feedback is history, not a toggle); GET /v2/insight lists it under its reflection. ${BATCH_RULES}`,
  security: BEARER,
  middleware: [requireUser, ownDataOnly],
  request: { body: jsonBody(batchOf(InsightFeedbackCreateSchema), "The feedback to store") },
  responses: {
    201: jsonResponse(StatusSuccessSchema, "Feedback stored"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
  },
});

const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const items = c.req.valid("json").map((item) => ({
      instanceId: item.instance_id,
      appVersion: item.app_version,
      date: isDay(item.date) ? item.date : toIso(item.date),
      feedback: item.feedback,
      testBuild: item.test_build,
    }));
    const outcome = await userStore(c.env, c.get("user").id).addInsightFeedback(items);
    if (outcome.outcome === "unknown_insight") {
      throw notFound(`[${outcome.index}].instance_id: no reflection with this id`);
    }
    return c.json(SUCCESS, 201);
  });
}
