import { createRoute, z } from "@hono/zod-openapi";
import { getDb } from "../../db";
import { findStatisticsProfile } from "../../db/users";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbidden, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { jsonResponse } from "../../lib/schemas";
import { NO_ACCESS, sinceSeconds } from "../../sharing/policy";
import { authorizeRead, requireReader, SHARED_USER_PARAMETER } from "../../sharing/read-scope";
import { statisticDocuments, statisticsQuery } from "../../statistics/documents";
import { userStore } from "../../user-store/user-store";
import { StatisticSchema, StatisticsQuerySchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/statistics",
  operationId: "statisticscontroller_findallv1",
  tags: ["statistics"],
  summary: "Fetch statistics",
  description: `Statistics computed from the uploaded measurements (docs/statistics.md: each algorithm, its reference, the shape of \`data\`, what "enough data" means). One document per requested type and local day (or ISO week / calendar month with \`time_span\`), ordered by date, then by type as requested; at most ${LIMITS.rangeDays} days, and none after today. Local days are in \`time_zone\`, else the owner's \`settings.time_zone\`, else UTC; a night belongs to the local date on which it ends. With \`shared-user\`, reads another user's statistics through an accepted share that includes STATISTICS, computed only from data since the share's \`sharedSince\`; days wholly before it are left out.`,
  security: BEARER,
  middleware: [requireReader],
  parameters: [SHARED_USER_PARAMETER],
  request: { query: StatisticsQuerySchema },
  responses: {
    200: jsonResponse(z.array(StatisticSchema), "The statistics"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const { grant, access } = authorizeRead(c, "STATISTICS", { start: query.start_day, end: query.end_day });
    const profile = await findStatisticsProfile(getDb(c.env.DB), grant.ownerId);
    if (!profile) throw forbidden(NO_ACCESS);
    const statistics = statisticsQuery(
      profile,
      {
        types: query.type,
        startDay: query.start_day,
        endDay: query.end_day,
        timeZone: query.time_zone,
        cutFrom: sinceSeconds(grant),
      },
      Date.now(),
    );
    const results = await userStore(c.env, grant.ownerId).statistics(statistics, access);
    return c.json(statisticDocuments(results, statistics, query.time_span ?? "DAY"), 200);
  });
}
