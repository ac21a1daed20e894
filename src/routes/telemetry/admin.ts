import { createRoute, z } from "@hono/zod-openapi";
import { adminOnly } from "../../auth/middleware";
import { serveR2Object } from "../../http/r2-object";
import { BEARER, type Router } from "../../http/router";
import {
  badRequest,
  errorResponse,
  errorResponses,
  forbiddenResponse,
  notFound,
  notFoundResponse,
} from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { DaySchema, jsonResponse, TimestampSchema } from "../../lib/schemas";
import { flushAll } from "../../telemetry/buffer";
import { hourPrefix, KEY_PATTERN, listObjects } from "../../telemetry/lake";
import { SIGNALS } from "../../telemetry/records";
import { summarizeHour } from "../../telemetry/summary";

/**
 * The admins' view of the telemetry lake (docs/telemetry.md "Admin"): its objects by signal and day, one object's
 * bytes, and an hour's summary. Listings and summaries first flush the buffer shards, so they include every record
 * accepted before the call.
 */

const HourSchema = z.coerce.number().int().min(0).max(23);

const ObjectSchema = z
  .object({
    key: z.string().openapi({ example: "traces/2026-12-03/07/1f0c3a9b2d4e5f60-000000000001-000000000042.ndjson.gz" }),
    signal: z.enum(SIGNALS),
    day: z.string().openapi({ example: "2026-12-03" }),
    hour: z.string().openapi({ example: "07", description: "UTC hour the records were received, two digits" }),
    size: z.number().int().openapi({ description: "Bytes of the object (gzip)" }),
    records: z.number().int().openapi({ description: "Records (NDJSON lines) in it" }),
    bytes: z.number().int().openapi({ description: "Bytes of NDJSON once decompressed" }),
    uploadedAt: TimestampSchema,
  })
  .openapi("TelemetryObject");

const listRoute = createRoute({
  method: "get",
  path: "/v1/admin/telemetry",
  operationId: "admintelemetrycontroller_list",
  tags: ["telemetry"],
  summary: "List the telemetry lake's objects of a signal and day (admins only)",
  description: `The gzip NDJSON objects of \`signal\` received on \`day\` (UTC), optionally of one \`hour\`, in key order (by hour, then shard and sequence), ${LIMITS.telemetryListPage} per page: pass \`nextCursor\` as \`cursor\` for the next. Every record accepted before the call is included.`,
  security: BEARER,
  middleware: [...adminOnly],
  request: {
    query: z.object({
      signal: z.enum(SIGNALS),
      day: DaySchema.openapi({ example: "2026-12-03" }),
      hour: HourSchema.optional().openapi({ type: "integer", minimum: 0, maximum: 23 }),
      cursor: z.string().max(1024).optional(),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({ objects: z.array(ObjectSchema), nextCursor: z.string().nullable() }).openapi("TelemetryObjectPage"),
      "Objects",
    ),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

const objectRoute = createRoute({
  method: "get",
  path: "/v1/admin/telemetry/object",
  operationId: "admintelemetrycontroller_object",
  tags: ["telemetry"],
  summary: "Download one telemetry object (admins only)",
  description:
    "The object's bytes as stored: gzip-compressed NDJSON (`application/gzip`), one record per line, with `ETag` and byte ranges. `key` is a key from the listing.",
  security: BEARER,
  middleware: [...adminOnly],
  request: { query: z.object({ key: z.string().max(200).regex(KEY_PATTERN, "must be a telemetry object key") }) },
  responses: {
    200: {
      description: "The object",
      content: { "application/gzip": { schema: z.string().openapi({ format: "binary" }) } },
    },
    206: { description: "The requested byte range" },
    304: { description: "Not modified (If-None-Match matched the ETag)" },
    ...errorResponses,
    ...forbiddenResponse,
    ...notFoundResponse,
    416: errorResponse("The range lies outside the object"),
  },
});

const SummarySchema = z
  .object({
    day: z.string(),
    hour: z.number().int(),
    objects: z.number().int(),
    records: z.object({ traces: z.number().int(), metrics: z.number().int(), logs: z.number().int() }),
    errorLogs: z.number().int().openapi({ description: "Log records at ERROR or FATAL (severityNumber 17-24)" }),
    users: z.number().int().openapi({ description: "Distinct pseudonymous user keys" }),
    topSpanNames: z.array(z.object({ name: z.string(), count: z.number().int() })),
    spanDurationMs: z
      .object({ p50: z.number(), p95: z.number() })
      .nullable()
      .openapi({ description: "Span duration percentiles (linear interpolation); null without spans" }),
  })
  .openapi("TelemetryHourSummary");

const summaryRoute = createRoute({
  method: "get",
  path: "/v1/admin/telemetry/summary",
  operationId: "admintelemetrycontroller_summary",
  tags: ["telemetry"],
  summary: "An hour of telemetry, summarized (admins only)",
  description:
    "For the records received in one UTC hour: record counts per signal, error-level log records, distinct users, the 10 most frequent span names and the p50/p95 span durations in milliseconds.",
  security: BEARER,
  middleware: [...adminOnly],
  request: {
    query: z.object({
      day: DaySchema.openapi({ example: "2026-12-03" }),
      hour: HourSchema.openapi({ type: "integer", minimum: 0, maximum: 23, example: 7 }),
    }),
  },
  responses: { 200: jsonResponse(SummarySchema, "The summary"), ...errorResponses, ...forbiddenResponse },
});

export default function mount(app: Router) {
  app.openapi(listRoute, async (c) => {
    const { signal, day, hour, cursor } = c.req.valid("query");
    await flushAll(c.env);
    let page: Awaited<ReturnType<typeof listObjects>>;
    try {
      page = await listObjects(c.env.TELEMETRY, hourPrefix(signal, day, hour), cursor);
    } catch (error) {
      if (cursor === undefined) throw error;
      throw badRequest("cursor: not a cursor of this listing");
    }
    return c.json({ objects: page.objects, nextCursor: page.cursor }, 200);
  });

  app.openapi(objectRoute, async (c) => {
    const { key } = c.req.valid("query");
    const name = key.split("/").join("-");
    const response = await serveR2Object(c.req.raw, c.env.TELEMETRY, key, {
      "content-type": "application/gzip",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "private, no-store",
    });
    if (response === null) throw notFound("No such telemetry object");
    return response;
  });

  app.openapi(summaryRoute, async (c) => {
    const { day, hour } = c.req.valid("query");
    await flushAll(c.env);
    return c.json(await summarizeHour(c.env.TELEMETRY, day, hour), 200);
  });
}
