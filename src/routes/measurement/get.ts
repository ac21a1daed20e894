import { createRoute, z } from "@hono/zod-openapi";
import type { TypedResponse } from "hono";
import { BEARER, type Router } from "../../http/router";
import { errorResponses, forbiddenResponse } from "../../lib/errors";
import { jsonResponse, TimestampSchema } from "../../lib/schemas";
import { decodeChunk } from "../../measurements/codec";
import { samplesFrom } from "../../measurements/day-samples";
import { renderValuesJsonBytes } from "../../measurements/document";
import { cutDays } from "../../sharing/policy";
import { authorizeRead, requireReader, SHARED_USER_PARAMETER } from "../../sharing/read-scope";
import type { StoredDay } from "../../user-store/measurement-store";
import { userStore } from "../../user-store/user-store";
import { DayRangeQuerySchema, dayToEpoch, epochToIso, MeasurementTypeSchema } from "./schemas";

export const MeasurementDaySchema = z
  .object({
    values: z.string().openapi({
      description: "Stringified JSON mapping seconds after midnight to [VALUE, QUALITY (0-4)]",
      example: '{"0":[75,4],"1":[76,4]}',
    }),
    count: z.number().int().openapi({ example: 2 }),
    type: MeasurementTypeSchema,
    day: TimestampSchema.openapi({ example: "2025-08-09T00:00:00.000Z" }),
    created: TimestampSchema.openapi({ example: "2025-08-10T06:00:00.000Z" }),
    updatedAt: TimestampSchema.openapi({ example: "2025-08-10T06:00:00.000Z" }),
  })
  .openapi("MeasurementDay");

const route = createRoute({
  method: "get",
  path: "/v1/measurement",
  operationId: "measurementcontroller_findallv1",
  tags: ["measurement"],
  summary: "Fetch measurements",
  description:
    "One document per UTC day with data, in `sort` order; days without data are omitted. With `shared-user`, reads another user's data through an accepted share; samples before the share's `sharedSince` are left out.",
  security: BEARER,
  middleware: [requireReader],
  parameters: [SHARED_USER_PARAMETER],
  request: {
    query: DayRangeQuerySchema.safeExtend({ sort: z.enum(["ASC", "DESC"]).openapi({ example: "ASC" }) }),
  },
  responses: {
    200: jsonResponse(z.array(MeasurementDaySchema), "Per-day documents"),
    ...errorResponses,
    ...forbiddenResponse,
  },
});

export default function mount(app: Router) {
  app.openapi(route, async (c) => {
    const { type, sort, start_day, end_day } = c.req.valid("query");
    const { grant, access } = authorizeRead(c, type, { start: start_day, end: end_day });
    const cut = cutDays(grant, dayToEpoch(start_day), dayToEpoch(end_day));
    const days = await userStore(c.env, grant.ownerId).readMeasurementDays(
      type,
      cut.startDay,
      cut.endDay,
      sort,
      access,
    );

    // Stream one day at a time: 31 days of 1 Hz data is ~40 MB of JSON, never held whole.
    const encoder = new TextEncoder();
    let index = 0;
    let written = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode("["));
      },
      pull(controller) {
        while (index < days.length) {
          const stored = days[index++] as StoredDay;
          let samples = decodeChunk(stored.data);
          if (stored.day === cut.startDay && cut.firstSecond > 0) samples = samplesFrom(samples, cut.firstSecond);
          if (samples.seconds.length === 0) continue;
          const head = `${written++ === 0 ? "" : ","}{"values":`;
          const tail = `,"count":${samples.seconds.length},"type":"${type}","day":"${epochToIso(stored.day)}","created":"${stored.created}","updatedAt":"${stored.updatedAt}"}`;
          controller.enqueue(encoder.encode(head));
          controller.enqueue(renderValuesJsonBytes(samples));
          controller.enqueue(encoder.encode(tail));
          return;
        }
        controller.enqueue(encoder.encode("]"));
        controller.close();
      },
    });
    // A streamed body has no typed-JSON form in Hono; the shape is MeasurementDaySchema[] (tested against it).
    return c.body(body, 200, { "content-type": "application/json; charset=UTF-8" }) as unknown as TypedResponse<
      z.infer<typeof MeasurementDaySchema>[],
      200,
      "json"
    >;
  });
}
