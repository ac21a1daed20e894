import { createRoute, z } from "@hono/zod-openapi";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { DateOrDateTimeSchema, jsonResponse, rangeRule } from "../../lib/schemas";
import { epochToIso } from "../../lib/time";
import { AGGREGATES, type Aggregate } from "../../measurements/series";
import { cutSeconds } from "../../sharing/policy";
import { authorizeRead, requireReader, SHARED_USER_PARAMETER } from "../../sharing/read-scope";
import { userStore } from "../../user-store/user-store";
import { MeasurementTypeSchema } from "./schemas";

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `60`, `60s`, `1m`, `5m`, `1h`, `1d`: a whole number of seconds from 1 to 86,400. */
export function parseResolution(text: string): number | null {
  const match = /^(\d{1,5})([smhd]?)$/.exec(text);
  if (!match) return null;
  const seconds = Number(match[1]) * (UNITS[match[2] || "s"] ?? 1);
  return seconds >= 1 && seconds <= 86_400 ? seconds : null;
}

export const SeriesQuerySchema = z
  .object({
    type: MeasurementTypeSchema,
    start: DateOrDateTimeSchema.openapi({
      description: "Inclusive; a date means its UTC midnight",
      example: "2025-08-01",
    }),
    end: DateOrDateTimeSchema.openapi({
      description: "Exclusive; a date means its UTC midnight",
      example: "2025-09-01",
    }),
    resolution: z
      .string()
      .refine((v) => parseResolution(v) !== null, "resolution must be 1 to 86400 seconds, e.g. 60, 1m, 5m, 1h or 1d")
      .transform((v) => parseResolution(v) as number)
      .openapi({ type: "string", description: "Bucket width: seconds or 1s..1d (60, 1m, 1h, 1d)", example: "1m" }),
    aggregate: z
      .string()
      .default("avg")
      .transform((v) => [...new Set(v.split(",").map((a) => a.trim()))])
      .refine((list) => list.every((a) => (AGGREGATES as readonly string[]).includes(a)), {
        message: `aggregate must be a comma-separated list of ${AGGREGATES.join(", ")}`,
      })
      .transform((list) => list as Aggregate[])
      .openapi({ type: "string", description: `Comma-separated: ${AGGREGATES.join(", ")}`, example: "min,max,avg" }),
    min_quality: z.coerce
      .number()
      .int()
      .min(0)
      .max(4)
      .default(0)
      .openapi({ description: "Leave out samples below this quality" }),
  })
  .check(
    rangeRule({
      start: "start",
      end: "end",
      interval: (q) => ({ from: Date.parse(q.start), to: Date.parse(q.end) }),
      order: "start must be before end",
    }),
  );

const NumberColumn = z.array(z.number());

export const SeriesSchema = z
  .object({
    type: MeasurementTypeSchema,
    start: z.string().openapi({ description: "Effective start (after any sharedSince cut)" }),
    end: z.string(),
    resolution: z.number().int().openapi({ description: "Bucket width in seconds", example: 60 }),
    t: NumberColumn.openapi({ description: "Bucket starts, Unix seconds; only buckets with data" }),
    min: NumberColumn.optional(),
    max: NumberColumn.optional(),
    avg: NumberColumn.optional(),
    count: NumberColumn.optional(),
    last: NumberColumn.optional(),
  })
  .openapi("MeasurementSeries");

const route = createRoute({
  method: "get",
  path: "/v1/measurement/series",
  operationId: "measurementcontroller_seriesv1",
  tags: ["measurement"],
  summary: "Downsampled series",
  description:
    "Server-side downsampling: buckets of `resolution` seconds aligned to the Unix epoch, each with the requested aggregates, as compact columns. Honors `shared-user` (cut at `sharedSince`).",
  security: BEARER,
  middleware: [requireReader],
  parameters: [SHARED_USER_PARAMETER],
  request: { query: SeriesQuerySchema },
  responses: { 200: jsonResponse(SeriesSchema, "Columnar series"), ...errorResponses, ...forbiddenResponse },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const { grant, access } = authorizeRead(c, q.type, { start: q.start, end: q.end });
    const { start, end } = cutSeconds(
      grant,
      Math.floor(Date.parse(q.start) / 1000),
      Math.floor(Date.parse(q.end) / 1000),
    );
    const options = { start, end, resolution: q.resolution, aggregates: q.aggregate, minQuality: q.min_quality };
    const series = await userStore(c.env, grant.ownerId).measurementSeries(q.type, options, access);
    return c.json(
      {
        type: q.type,
        start: epochToIso(start),
        end: epochToIso(end),
        resolution: q.resolution,
        ...series,
        t: series.t ?? [],
      },
      200,
    );
  });
}
