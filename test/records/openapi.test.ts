import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import {
  ActivityOrigin,
  ActivityTypeSchema,
  DayFeedbackTypeSchema,
  SessionTypeSchema,
  Valence,
} from "../../src/records/enums";
import { InsightRequestSchema, InsightResponseSchema } from "../../src/records/insights/select";

/** Renders the schemas the way the app's /openapi.json will, so what clients read is checked, not just parsing. */
function render() {
  const Probe = z
    .object({
      origin: ActivityOrigin.schema,
      type: SessionTypeSchema,
      activityType: ActivityTypeSchema,
      dayFeedbackType: DayFeedbackTypeSchema,
      valence: Valence.schema,
    })
    .openapi("Probe");
  const app = new OpenAPIHono();
  const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
  app.openapi(
    createRoute({
      method: "post",
      path: "/probe",
      request: { body: { required: true, ...json(Probe) } },
      responses: { 200: { description: "ok", ...json(Probe) } },
    }),
    (c) => c.json({ origin: 0, type: 0, activityType: 1, dayFeedbackType: 5, valence: "NEUTRAL" as const }, 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/insight",
      request: { body: { required: true, ...json(InsightRequestSchema) } },
      responses: { 201: { description: "ok", ...json(InsightResponseSchema) } },
    }),
    (c) => c.json({}, 201),
  );
  return app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "probe", version: "0" } });
}

/** Just enough of a rendered object schema to read it without casts. */
const Rendered = z.object({
  properties: z.record(z.string(), z.record(z.string(), z.unknown())),
  required: z.array(z.string()),
});

describe("OpenAPI rendering of the records schemas", () => {
  const schemas = render().components?.schemas ?? {};
  const probe = Rendered.parse(schemas.Probe);

  it("lists every numeric enum value and documents the meanings", () => {
    expect(probe.properties.origin?.enum).toEqual([0, 1, 2, 3, 4, 5]);
    expect(probe.properties.origin?.description).toContain("1 MANUAL");
    expect(probe.properties.dayFeedbackType?.enum).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("renders the session type as a range", () => {
    expect(probe.properties.type).toMatchObject({ type: "integer", minimum: 0, maximum: 122 });
    expect(probe.properties.activityType).toMatchObject({ type: "integer", minimum: 1, maximum: 122 });
  });

  it("lists string enum values", () => {
    expect(probe.properties.valence?.enum).toEqual(Valence.values);
  });

  it("names the insight schemas", () => {
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(["InsightRequest", "Insight", "ResearchInsight"]));
    expect(Rendered.parse(schemas.InsightRequest).required).toEqual([
      "time_format",
      "today_triggers",
      "today_metrics",
      "past_daily_metrics",
      "past_triggers",
      "previous_research_insight_ids",
    ]);
  });
});
