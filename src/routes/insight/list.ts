import { createRoute, z } from "@hono/zod-openapi";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { DayRangeQuerySchema, jsonResponse } from "../../lib/schemas";
import { tooMany } from "../../records/schemas";
import { sinceIso } from "../../sharing/policy";
import { authorizeRead, requireReader, SHARED_USER_PARAMETER } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { InsightHistoryEntrySchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v2/insight",
  operationId: "insightcontroller_findallv2",
  tags: ["insight"],
  summary: "Fetch past reflections with their feedback",
  description: `The reflections dated start_day..end_day (inclusive, UTC, at most ${LIMITS.rangeDays} days), oldest first, each with its feedback. With \`shared-user\`, reads another user's reflections through an accepted share that includes INSIGHTS: those created before the share's \`sharedSince\` are left out.`,
  security: BEARER,
  middleware: [requireReader],
  parameters: [SHARED_USER_PARAMETER],
  request: { query: DayRangeQuerySchema },
  responses: {
    200: jsonResponse(z.array(InsightHistoryEntrySchema), "The reflections"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { start_day, end_day } = c.req.valid("query");
    const { grant, access } = authorizeRead(c, "INSIGHTS", { start: start_day, end: end_day });
    const insights = await userStore(c.env, grant.ownerId).listInsights(start_day, end_day, sinceIso(grant), access);
    if (insights === null) throw tooMany("reflections");
    return c.json(insights, 200);
  });
}
