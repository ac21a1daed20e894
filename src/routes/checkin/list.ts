import { createRoute, z } from "@hono/zod-openapi";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { DayRangeQuerySchema, jsonResponse } from "../../lib/schemas";
import { dayAfter, dayStart } from "../../lib/time";
import { tooMany } from "../../records/schemas";
import { cutIsoRange } from "../../sharing/policy";
import { authorizeRead, requireReader, SHARED_USER_PARAMETER } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { CheckinSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/checkin",
  operationId: "checkincontroller_findallv1",
  tags: ["checkin"],
  summary: "Fetch check-ins in a range",
  description: `The check-ins whose \`datetime\` falls on the UTC days start_day..end_day (inclusive, at most ${LIMITS.rangeDays} days), ordered by \`datetime\`. With \`shared-user\`, reads another user's check-ins through an accepted share that includes CHECKINS: those before the share's \`sharedSince\` are left out.`,
  security: BEARER,
  middleware: [requireReader],
  parameters: [SHARED_USER_PARAMETER],
  request: { query: DayRangeQuerySchema },
  responses: {
    200: jsonResponse(z.array(CheckinSchema), "The check-ins, oldest first"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { start_day, end_day } = c.req.valid("query");
    const { grant, access } = authorizeRead(c, "CHECKINS", { start: start_day, end: end_day });
    const { from, to } = cutIsoRange(grant, dayStart(start_day), dayAfter(end_day));
    const checkins = await userStore(c.env, grant.ownerId).listCheckins(from, to, access);
    if (checkins === null) throw tooMany("check-ins");
    return c.json(checkins, 200);
  });
}
