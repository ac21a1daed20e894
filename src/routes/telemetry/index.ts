import { createRouter } from "../../http/router";
import admin from "./admin";
import ingest from "./ingest";

/** The telemetry tag (docs/telemetry.md): OTLP/HTTP ingestion, and the admins' view of the lake. */
export function telemetryRoutes() {
  const app = createRouter();
  for (const mount of [ingest, admin]) mount(app);
  return app;
}
