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
import { InsightHistoryEntrySchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v2/insight",
  operationId: "insightcontroller_findallv2",
  tags: ["insight"],
  summary: "Fetch past reflections with their feedback",
  description: `The reflections dated start_day..end_day (inclusive, UTC, at most ${LIMITS.rangeDays} days), oldest first, each with its feedback. With \`shared-user\`, reads another user's reflections through an accepted share that includes INSIGHTS: those created before the share's \`sharedSince\` are left out.`,
  security: BEARER,
  middleware: [requireUser],
  request: { query: DayRangeQuerySchema, headers: SharedUserHeadersSchema },
  responses: {
    200: jsonResponse(z.array(InsightHistoryEntrySchema), "The reflections"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { start_day, end_day } = c.req.valid("query");
    const scope = await resolveReadScope(c, { dataType: "INSIGHTS", rangeStart: start_day, rangeEnd: end_day });
    const since = scope.since === null ? null : toIso(scope.since);
    const insights = await userStore(c.env, scope.ownerId).listInsights(start_day, end_day, since);
    if (insights === null) throw tooMany("reflections");
    return c.json(insights, 200);
  });
}
