import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbidden, forbiddenResponse } from "../../lib/errors";
import { jsonResponse, TimestampSchema } from "../../lib/schemas";
import { epochToIso } from "../../lib/time";
import { namesSharedUser } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { MeasurementTypeSchema } from "./schemas";

export const CheckpointSchema = z
  .object({
    type: MeasurementTypeSchema,
    lastDatetime: TimestampSchema.openapi({ description: "Latest stored sample", example: "2025-08-09T23:59:59.000Z" }),
    lastTimestamp: z.number().int().openapi({ description: "The same, in Unix seconds", example: 1754783999 }),
    count: z.number().int().openapi({ description: "Samples stored for the type" }),
    days: z.number().int().openapi({ description: "Days with data" }),
  })
  .openapi("MeasurementCheckpoint");

const route = createRoute({
  method: "get",
  path: "/v1/measurement/checkpoint",
  operationId: "measurementcontroller_checkpointv1",
  tags: ["measurement"],
  summary: "Sync checkpoint per measurement type",
  description:
    "For each type with data: the latest stored datetime and the sample count, so the phone knows what to resend after an interrupted sync. Types without data are absent.",
  security: BEARER,
  middleware: [requireUser],
  responses: {
    200: jsonResponse(z.array(CheckpointSchema), "One entry per type with data"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    // Sync state is the caller's own business: a viewer of a shared dashboard has nothing to resend.
    if (namesSharedUser(c)) {
      throw forbidden("Sync checkpoints are only available for your own data");
    }
    const rows = await userStore(c.env, c.get("user").id).measurementCheckpoints();
    return c.json(
      rows.map((row) => ({
        type: row.type,
        lastDatetime: epochToIso(row.lastDatetime),
        lastTimestamp: row.lastDatetime,
        count: row.count,
        days: row.days,
      })),
      200,
    );
  });
}
