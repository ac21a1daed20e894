import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { BEARER, type Router } from "../../lib/openapi";
import { jsonResponse } from "../../lib/schemas";
import { resolveReadScope } from "../../sharing/access";
import { userStore } from "../../user-store/user-store";
import {
  DayRangeQuerySchema,
  dayAfter,
  dayStart,
  SharedUserHeadersSchema,
  tooMany,
  visibleFrom,
} from "../session/common";
import { CheckinSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/checkin",
  operationId: "checkincontroller_findallv1",
  tags: ["checkin"],
  summary: "Fetch check-ins in a range",
  description: `The check-ins whose \`datetime\` falls on the UTC days start_day..end_day (inclusive, at most ${LIMITS.rangeDays} days), ordered by \`datetime\`. With \`shared-user\`, reads another user's check-ins through an accepted share that includes CHECKINS: those before the share's \`sharedSince\` are left out.`,
  security: BEARER,
  middleware: [requireUser],
  request: { query: DayRangeQuerySchema, headers: SharedUserHeadersSchema },
  responses: {
    200: jsonResponse(z.array(CheckinSchema), "The check-ins, oldest first"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { start_day, end_day } = c.req.valid("query");
    const scope = await resolveReadScope(c, { dataType: "CHECKINS", rangeStart: start_day, rangeEnd: end_day });
    const from = visibleFrom(scope, dayStart(start_day));
    const to = dayAfter(end_day);
    const checkins = from < to ? await userStore(c.env, scope.ownerId).listCheckins(from, to) : [];
    if (checkins === null) throw tooMany("check-ins");
    return c.json(checkins, 200);
  });
}
