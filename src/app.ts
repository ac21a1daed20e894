import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { deletedStoreRefusal } from "./auth/middleware";
import { ConfigError } from "./config";
import { ensureDevAccounts } from "./dev/bootstrap";
import { corsMiddleware } from "./http/cors";
import { createRouter } from "./http/router";
import { securityHeaders } from "./http/security-headers";
import { ApiError, type ErrorCode, errorBody } from "./lib/errors";
import { LIMITS } from "./lib/limits";
import { requestedPath, routingPath } from "./lib/request-path";
import { activityRoutes } from "./routes/activity";
import { adminFirmwareRoutes } from "./routes/admin-firmware";
import { authRoutes } from "./routes/auth";
import { changesRoutes } from "./routes/changes";
import { checkinRoutes } from "./routes/checkin";
import { dayFeedbackRoutes } from "./routes/day-feedback";
import { firmwareRoutes } from "./routes/firmware";
import { insightRoutes } from "./routes/insight";
import { intentionRoutes } from "./routes/intention";
import { measurementRoutes } from "./routes/measurement";
import { sessionRoutes } from "./routes/session";
import { sharedRoutes } from "./routes/shared";
import { sharingRoutes } from "./routes/sharing";
import { statisticsRoutes } from "./routes/statistics";
import { systemRoutes } from "./routes/system";
import { docsContentSecurityPolicy, renderDocsPage } from "./routes/system/docs-page";
import { telemetryRoutes } from "./routes/telemetry";
import { userRoutes } from "./routes/user";
import { webhookRoutes } from "./routes/webhooks";
import { isStoreDeleted } from "./user-store/deleted";

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
};

/** Per-path body limits; everything else gets the JSON default. */
const BODY_LIMITS: { prefix: string; bytes: number }[] = [
  { prefix: "/v1/measurement/upload", bytes: LIMITS.uploadBodyBytes },
  { prefix: "/v1/measurement", bytes: LIMITS.batchBodyBytes },
  ...["/v1/session", "/v1/activity", "/v1/intention", "/v1/checkin", "/v1/day-feedback", "/v2/insight/feedback"].map(
    (prefix) => ({ prefix, bytes: LIMITS.recordBatchBodyBytes }),
  ),
];

/**
 * Bodies the route reads as a stream and bounds itself (a firmware binary): Hono's bodyLimit would read a chunked
 * body eagerly, holding up to 100 MB; the route counts bytes as it streams and refuses past its limit.
 */
const STREAMED_BODIES: { method: string; path: RegExp }[] = [
  // Uploads are bounded as sent (64 MB) and after decompression by the route, which reads them as they arrive.
  { method: "POST", path: /^\/v1\/measurement\/upload\/?$/ },
  { method: "POST", path: /^\/v1\/admin\/firmware\/?$/ },
  { method: "PUT", path: /^\/v1\/admin\/firmware\/uploads\/[^/]+\/parts\/[^/]+\/?$/ },
  // OTLP bodies are bounded as sent and after decompression by the route (docs/telemetry.md "Limits").
  { method: "POST", path: /^\/v1\/telemetry\/(v1\/)?(traces|metrics|logs)\/?$/ },
];

export function createApp() {
  const app = createRouter({ getPath: routingPath });

  // Outermost: decorates every answer, whichever of the handlers below produced it.
  app.use("*", securityHeaders);

  app.use("*", async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set("requestId", requestId);
    await next();
    c.header("x-request-id", requestId);
  });

  // Before body limits, dev accounts and routing: a preflight for any path is answered here.
  app.use("*", corsMiddleware);

  app.use("*", async (c, next) => {
    if (STREAMED_BODIES.some((b) => b.method === c.req.method && b.path.test(c.req.path))) return next();
    const limit = BODY_LIMITS.find((l) => c.req.path.startsWith(l.prefix))?.bytes ?? LIMITS.jsonBodyBytes;
    return bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new ApiError("PAYLOAD_TOO_LARGE", `Request body is larger than ${limit} bytes`);
      },
    })(c, next);
  });

  app.use("*", async (c, next) => {
    await ensureDevAccounts(c.env);
    await next();
  });

  app.route("/", systemRoutes());
  app.route("/", authRoutes());
  app.route("/", userRoutes());
  app.route("/", measurementRoutes());
  app.route("/", insightRoutes());
  app.route("/", sessionRoutes());
  app.route("/", checkinRoutes());
  app.route("/", dayFeedbackRoutes());
  app.route("/", activityRoutes());
  app.route("/", intentionRoutes());
  app.route("/", statisticsRoutes());
  app.route("/", sharingRoutes());
  app.route("/", sharedRoutes());
  app.route("/", firmwareRoutes());
  app.route("/", adminFirmwareRoutes());
  app.route("/", telemetryRoutes());
  app.route("/", changesRoutes());
  app.route("/", webhookRoutes());

  app.notFound((c) => {
    const path = requestedPath(c);
    return c.json(errorBody("NOT_FOUND", [`Cannot ${c.req.method} ${path}`], path, c.get("requestId")), 404);
  });

  app.onError((thrown, c) => {
    const requestId = c.get("requestId") ?? crypto.randomUUID();
    const path = requestedPath(c);
    // A store wiped by account deletion while this request was in flight: refused as the account's absence is.
    const error = isStoreDeleted(thrown) ? deletedStoreRefusal(c) : thrown;
    if (error instanceof ApiError) {
      return c.json(errorBody(error.code, error.messages, path, requestId), error.status, { ...error.headers });
    }
    if (error instanceof HTTPException) {
      const code: ErrorCode = error.message.startsWith("Malformed JSON")
        ? "MALFORMED_JSON"
        : (HTTP_CODES[error.status] ?? "BAD_REQUEST");
      const status = (error.status >= 400 && error.status < 500 ? error.status : 400) as ContentfulStatusCode;
      return c.json(errorBody(code, [error.message || "Bad request"], path, requestId), status);
    }
    const kind = error instanceof ConfigError ? "configuration" : "unexpected";
    console.error(JSON.stringify({ event: "error", kind, requestId, path, name: error.name, message: error.message }));
    return c.json(errorBody("INTERNAL_ERROR", ["Internal server error"], path, requestId), 500);
  });

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Access token from POST /v2/auth/login",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "appClient", {
    type: "apiKey",
    in: "header",
    name: "x-auth-token",
    description: "App client credentials for the non-JWT auth routes: base64(`<secret>+<clientId>`)",
  });

  app.doc31("/openapi.json", OPENAPI_CONFIG);
  app.get("/docs", async (c) => {
    c.header("content-security-policy", await docsContentSecurityPolicy());
    return c.html(renderDocsPage(app.getOpenAPI31Document(OPENAPI_CONFIG)));
  });

  return app;
}

/** The document's top level; `/openapi.json`, `/docs` and `npm run lint:openapi` all render it. */
export const OPENAPI_CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "NOWATCH API",
    version: "0.9.0",
    license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    description:
      "The NOWATCH API: accounts, measurements, personal records, sharing, exports, firmware, telemetry, a change feed and webhooks for the NOWATCH wearable.",
  },
  servers: [
    { url: "/nowatch", description: "The contract's server (relative)" },
    { url: "/", description: "Same operations without the prefix" },
  ],
  tags: [
    { name: "auth", description: "User authentication" },
    { name: "user", description: "User data routes" },
    { name: "measurement", description: "Time series health data (heart rate, temperature, activity, etc.)" },
    { name: "insight", description: "User insights, feedback, and reflections" },
    { name: "session", description: "Sessions: the one store of activities and intentions" },
    { name: "checkin", description: "User check-ins and wellness tracking" },
    { name: "day-feedback", description: "Daily feedback and mood tracking" },
    { name: "activity", description: "Sessions wrapper for activities" },
    { name: "intention", description: "Sessions wrapper for intentions" },
    { name: "statistics", description: "Aggregated health statistics" },
    { name: "sharing", description: "Manage sharing your data with other people" },
    { name: "shared", description: "Manage other people's data shared with you" },
    { name: "firmware", description: "Firmware updates and downloads" },
    { name: "admin-firmware", description: "Admin firmware management" },
    { name: "telemetry", description: "Application telemetry data (spans, metrics, logs)" },
    { name: "changes", description: "What changed since the last sync: the change feed" },
    { name: "webhooks", description: "Signed deliveries of your changes to your own endpoints" },
    { name: "system", description: "Health, keys and this document" },
  ],
};

export type App = ReturnType<typeof createApp>;
