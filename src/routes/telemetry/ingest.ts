import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requireUser } from "../../auth/middleware";
import type { AppEnv } from "../../http/app-env";
import { BEARER, type Router } from "../../http/router";
import { ApiError, errorResponse, errorResponses } from "../../lib/errors";
import { LIMITS } from "../../lib/limits";
import { nowIso } from "../../lib/time";
import { type Encoding, encodingOf, parseBody, readBody } from "../../telemetry/body";
import { pickShard } from "../../telemetry/buffer";
import { pseudonymOf } from "../../telemetry/pseudonym";
import { type Converted, convertRequest, SIGNAL_SHAPE, type Signal, TooManyRecords } from "../../telemetry/records";
import { ATTRIBUTE_VALUE_BYTES, ShapeError } from "../../telemetry/values";
import { encodeStatus, encodeSuccess } from "./wire";

/**
 * POST /v1/telemetry/{traces,metrics,logs} (docs/telemetry.md "Requests"): OTLP/HTTP export requests, JSON or
 * protobuf, optionally gzip. Accepted records are stored in a buffer shard before the answer; the answer is OTLP's
 * (200 with `partialSuccess` when records were rejected or changed). The same operations answer at
 * /v1/telemetry/v1/{signal}, where an exporter configured with the base endpoint /v1/telemetry sends.
 */

const REQUEST_NAMES = {
  traces: "ExportTraceServiceRequest",
  metrics: "ExportMetricsServiceRequest",
  logs: "ExportLogsServiceRequest",
} as const satisfies Record<Signal, string>;

/** How long a client is told to wait when the buffer is full or unreachable. */
const RETRY_AFTER_UNAVAILABLE = 1;

function partialSuccess(signal: Signal, converted: Converted): { rejected: number; message: string } | null {
  const notes: string[] = [];
  const what = SIGNAL_SHAPE[signal].records;
  if (converted.rejected > 0) notes.push(`${converted.rejected} ${what} rejected: ${converted.firstReason}`);
  if (converted.truncated > 0) {
    notes.push(`${converted.truncated} attribute values over ${ATTRIBUTE_VALUE_BYTES} bytes were truncated`);
  }
  return notes.length === 0 ? null : { rejected: converted.rejected, message: notes.join("; ") };
}

function answer(c: Context<AppEnv>, signal: Signal, encoding: Encoding, converted: Converted): Response {
  const partial = partialSuccess(signal, converted);
  if (encoding === "protobuf") {
    return new Response(encodeSuccess(partial), { status: 200, headers: { "content-type": "application/x-protobuf" } });
  }
  const body = partial
    ? { partialSuccess: { [SIGNAL_SHAPE[signal].rejected]: partial.rejected, errorMessage: partial.message } }
    : {};
  return c.json(body, 200);
}

/** Refusals as ApiErrors; a protobuf client gets them as a protobuf google.rpc.Status instead of the JSON body. */
function refusal(error: unknown): unknown {
  if (error instanceof ShapeError) return new ApiError("BAD_REQUEST", error.describe());
  if (error instanceof TooManyRecords) {
    return new ApiError("PAYLOAD_TOO_LARGE", `A request holds at most ${LIMITS.telemetryMaxRecords} records`);
  }
  const cause = error as { overloaded?: boolean; retryable?: boolean } | null;
  if (cause?.overloaded || cause?.retryable) {
    return new ApiError("SERVICE_UNAVAILABLE", "The telemetry buffer is busy; retry shortly", {
      "Retry-After": String(RETRY_AFTER_UNAVAILABLE),
    });
  }
  return error;
}

async function ingest(c: Context<AppEnv>, signal: Signal): Promise<Response> {
  let encoding: Encoding = "json";
  try {
    encoding = encodingOf(c.req.header("content-type"));
    const bytes = await readBody(c.req.raw, LIMITS.telemetryBodyBytes);
    const body = parseBody(signal, encoding, bytes);
    const receivedAt = nowIso();
    const userKey = await pseudonymOf(c.env, c.get("user").id);
    const converted = convertRequest(signal, body, { userKey, receivedAt }, LIMITS.telemetryMaxRecords);
    if (converted.lines.length > 0) {
      const stored = await pickShard(c.env).append(signal, receivedAt.slice(0, 13), converted.lines);
      if (!stored.accepted) {
        throw new ApiError("SERVICE_UNAVAILABLE", "The telemetry buffer is full; retry later", {
          "Retry-After": String(stored.retryAfterSeconds),
        });
      }
    }
    return answer(c, signal, encoding, converted);
  } catch (thrown) {
    const error = refusal(thrown);
    if (encoding === "protobuf" && error instanceof ApiError) {
      return new Response(encodeStatus(error), {
        status: error.status,
        headers: { "content-type": "application/x-protobuf", ...error.headers },
      });
    }
    throw error;
  }
}

const ExportResponseSchema = (signal: Signal) =>
  z
    .object({
      partialSuccess: z
        .object({
          [SIGNAL_SHAPE[signal].rejected]: z.number().int().openapi({ example: 0 }),
          errorMessage: z.string().max(2000),
        })
        .optional(),
    })
    .openapi(`Export${signal[0]?.toUpperCase()}${signal.slice(1)}ServiceResponse`);

const RequestSchema = (signal: Signal) =>
  z
    .object({ [SIGNAL_SHAPE[signal].list]: z.array(z.object({}).passthrough()) })
    .passthrough()
    .openapi(REQUEST_NAMES[signal], {
      description: `An OTLP/JSON ${REQUEST_NAMES[signal]} (opentelemetry-proto); unknown fields are ignored.`,
    });

const unavailable = {
  ...errorResponse("The buffer is full or busy; retry after `Retry-After` seconds"),
  headers: z.object({ "Retry-After": z.string().regex(/^\d+$/).openapi({ example: "5" }) }),
};

export default function mount(app: Router) {
  for (const signal of ["traces", "metrics", "logs"] as const) {
    for (const path of [`/v1/telemetry/${signal}`, `/v1/telemetry/v1/${signal}`]) {
      const alias = path.includes("/v1/telemetry/v1/");
      app.openAPIRegistry.registerPath({
        method: "post",
        path,
        operationId: `telemetrycontroller_${signal}${alias ? "_otlp_base" : ""}`,
        tags: ["telemetry"],
        summary: alias
          ? `Export ${signal} (OTLP/HTTP, the path under the base endpoint /v1/telemetry)`
          : `Export ${signal} (OTLP/HTTP)`,
        description: `An OTLP/HTTP ${REQUEST_NAMES[signal]}, as \`application/json\` or \`application/x-protobuf\`, optionally \`Content-Encoding: gzip\`: at most ${LIMITS.telemetryBodyBytes} bytes as sent and after decompression, and ${LIMITS.telemetryMaxRecords} ${SIGNAL_SHAPE[signal].records} (413). Accepted records are durable before the answer. 200 answers \`partialSuccess\` when ${SIGNAL_SHAPE[signal].records} were rejected (counted in \`${SIGNAL_SHAPE[signal].rejected}\`) or attribute values over ${ATTRIBUTE_VALUE_BYTES} bytes were truncated (named in \`errorMessage\`). A protobuf request gets a protobuf answer, and its refusals as a protobuf \`google.rpc.Status\`. 400 is never worth retrying; 503 carries \`Retry-After\`.${alias ? ` The same operation as POST /v1/telemetry/${signal}.` : ""}`,
        security: BEARER,
        request: {
          body: {
            required: true,
            content: {
              "application/json": { schema: RequestSchema(signal) },
              "application/x-protobuf": { schema: z.string().openapi({ format: "binary" }) },
            },
          },
        },
        responses: {
          200: {
            description: "Accepted (with `partialSuccess` when some records were rejected or truncated)",
            content: {
              "application/json": { schema: ExportResponseSchema(signal) },
              "application/x-protobuf": { schema: z.string().openapi({ format: "binary" }) },
            },
          },
          ...errorResponses,
          503: unavailable,
        },
      });
      app.post(path, requireUser, (c) => ingest(c, signal));
    }
  }
}
