import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { jsonResponse } from "../../lib/schemas";
import { dayToEpoch } from "../../lib/time";
import { ownDataOnly } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { DayRangeQuerySchema } from "./schemas";

const route = createRoute({
  method: "delete",
  path: "/v1/measurement",
  operationId: "measurementcontroller_deleterawmeasurementsv1",
  tags: ["measurement"],
  summary: "Delete users measurements",
  description:
    "Deletes the caller's samples of one type on the days `start_day`..`end_day` (both required, inclusive, UTC).",
  security: BEARER,
  middleware: [requireUser, ownDataOnly],
  request: { query: DayRangeQuerySchema },
  responses: {
    200: jsonResponse(
      z
        .object({
          type: z.string(),
          deletedSamples: z.number().int(),
          deletedDays: z.number().int(),
        })
        .openapi("MeasurementDeleteResult"),
      "How many samples and days were deleted",
    ),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { type, start_day, end_day } = c.req.valid("query");
    const result = await userStore(c.env, c.get("user").id).deleteMeasurementDays(
      type,
      dayToEpoch(start_day),
      dayToEpoch(end_day),
    );
    return c.json({ type, ...result }, 200);
  });
}
