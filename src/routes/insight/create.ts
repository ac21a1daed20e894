import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../../auth/middleware";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse, notFound, notFoundResponse } from "../../lib/errors";
import { jsonBody, jsonResponse } from "../../lib/schemas";
import { INSIGHT_CATALOGUE } from "../../records/insights/catalogue";
import {
  InsightRequestSchema,
  InsightResponseSchema,
  selectInsight,
  toInsightResponse,
} from "../../records/insights/select";
import { ownDataOnly } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";

export const APP_VERSION_HEADER = "app-version";

const route = createRoute({
  method: "post",
  path: "/v2/insight",
  operationId: "insightcontroller_createv2",
  tags: ["insight"],
  summary: "Create a reflection for the day or week",
  description: `From today's metrics and triggers and the past days', picks one research insight from the catalogue shipped with the API (docs/records.md "Selection algorithm"): never one of \`previous_research_insight_ids\`, and the same for the same input on the same day. The reflection is dated today (UTC), stored in the caller's history (GET /v2/insight) and answered with 201. 404 when every eligible insight was already shown. The \`${APP_VERSION_HEADER}\` header is required (400 without it).`,
  security: BEARER,
  middleware: [requireUser, ownDataOnly],
  request: {
    headers: z.object({
      [APP_VERSION_HEADER]: z
        .string({ error: "the app-version header is required" })
        .min(1, "the app-version header is required")
        .max(50, "must be at most 50 characters")
        .openapi({ description: "Version of the app asking (required)", example: "2.5.1" }),
    }),
    body: jsonBody(InsightRequestSchema),
  },
  responses: {
    201: jsonResponse(InsightResponseSchema, "The reflection, now in the caller's history"),
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const input = c.req.valid("json");
    const appVersion = c.req.valid("header")[APP_VERSION_HEADER];
    const created = new Date().toISOString();
    const date = created.slice(0, 10);
    const selection = selectInsight(input, INSIGHT_CATALOGUE, { day: date });
    if (!selection) throw notFound("No new research insight for this input");
    const response = toInsightResponse(selection, { id: crypto.randomUUID(), date, created });
    await userStore(c.env, c.get("user").id).recordInsight({ response, appVersion });
    return c.json(response, 201);
  });
}
