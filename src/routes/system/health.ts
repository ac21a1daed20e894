import { createRoute, z } from "@hono/zod-openapi";
import { PUBLIC, type Router } from "../../http/router";
import { jsonResponse } from "../../lib/schemas";

const route = createRoute({
  method: "get",
  path: "/health",
  operationId: "health",
  tags: ["system"],
  summary: "Liveness for load balancers",
  security: PUBLIC,
  description: "Answers 200 when the Worker runs and D1 answers a trivial query, 503 otherwise.",
  responses: {
    200: jsonResponse(z.object({ status: z.literal("ok"), version: z.string() }).openapi("Health"), "Healthy"),
    503: jsonResponse(z.object({ status: z.literal("degraded"), version: z.string() }), "D1 is not answering"),
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    try {
      await c.env.DB.prepare("SELECT 1").first();
      return c.json({ status: "ok" as const, version: "0.9.0" }, 200);
    } catch {
      return c.json({ status: "degraded" as const, version: "0.9.0" }, 503);
    }
  });
}
