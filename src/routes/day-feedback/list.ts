import { createRoute, z } from "@hono/zod-openapi";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { DayRangeQuerySchema, jsonResponse } from "../../lib/schemas";
import { tooMany } from "../../records/schemas";
import { sinceIso } from "../../sharing/policy";
import { authorizeRead, requireReader, SHARED_USER_PARAMETER } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { DayFeedbackSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/day-feedback",
  operationId: "dayfeedbackcontroller_findallv1",
  tags: ["day-feedback"],
  summary: "Fetch day feedback in a range",
  description: `The answers about the local days start_day..end_day (inclusive, at most ${LIMITS.rangeDays} days), ordered by day, then type. With \`shared-user\`, reads another user's answers through an accepted share that includes DAY_FEEDBACK: answers given before the share's \`sharedSince\` are left out.`,
  security: BEARER,
  middleware: [requireReader],
  parameters: [SHARED_USER_PARAMETER],
  request: { query: DayRangeQuerySchema },
  responses: {
    200: jsonResponse(z.array(DayFeedbackSchema), "The answers"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { start_day, end_day } = c.req.valid("query");
    const { grant, access } = authorizeRead(c, "DAY_FEEDBACK", { start: start_day, end: end_day });
    const answers = await userStore(c.env, grant.ownerId).listDayFeedback(start_day, end_day, sinceIso(grant), access);
    if (answers === null) throw tooMany("answers");
    return c.json(answers, 200);
  });
}
