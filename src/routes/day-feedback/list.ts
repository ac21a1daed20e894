import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { BEARER, type Router } from "../../lib/openapi";
import { jsonResponse } from "../../lib/schemas";
import { toIso } from "../../lib/time";
import { resolveReadScope } from "../../sharing/access";
import { userStore } from "../../user-store/user-store";
import { DayRangeQuerySchema, SharedUserHeadersSchema, tooMany } from "../session/common";
import { DayFeedbackSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/day-feedback",
  operationId: "dayfeedbackcontroller_findallv1",
  tags: ["day-feedback"],
  summary: "Fetch day feedback in a range",
  description: `The answers about the local days start_day..end_day (inclusive, at most ${LIMITS.rangeDays} days), ordered by day, then type. With \`shared-user\`, reads another user's answers through an accepted share that includes DAY_FEEDBACK: answers given before the share's \`sharedSince\` are left out.`,
  security: BEARER,
  middleware: [requireUser],
  request: { query: DayRangeQuerySchema, headers: SharedUserHeadersSchema },
  responses: {
    200: jsonResponse(z.array(DayFeedbackSchema), "The answers"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { start_day, end_day } = c.req.valid("query");
    const scope = await resolveReadScope(c, { dataType: "DAY_FEEDBACK", rangeStart: start_day, rangeEnd: end_day });
    const since = scope.since === null ? null : toIso(scope.since);
    const answers = await userStore(c.env, scope.ownerId).listDayFeedback(start_day, end_day, since);
    if (answers === null) throw tooMany("answers");
    return c.json(answers, 200);
  });
}
