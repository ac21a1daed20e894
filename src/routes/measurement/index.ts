import { createRouter } from "../../http/router";
import batch from "./batch";
import checkpoint from "./checkpoint";
import deleteMeasurements from "./delete";
import get from "./get";
import series from "./series";
import upload from "./upload";

/** The measurement tag (contract §4 and the Measurements Context), plus batch sync, checkpoints and series. */
export function measurementRoutes() {
  const app = createRouter();
  for (const mount of [get, deleteMeasurements, upload, batch, checkpoint, series]) mount(app);
  return app;
}
