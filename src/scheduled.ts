import { sweepExports } from "./exports/sweep";
import { sweepFirmwareUploads } from "./firmware/sweep";
import { sweepTelemetry } from "./telemetry/lake";

/**
 * The cron trigger's handler (wrangler.toml `[triggers]`): every periodic sweep of the API, each on its own, so
 * one failing does not stop the others; a failure is logged and the next run retries (every sweep is idempotent).
 */
const SWEEPS: Record<string, (env: Env, now: Date) => Promise<unknown>> = {
  exports: sweepExports,
  firmwareUploads: sweepFirmwareUploads,
  telemetry: sweepTelemetry,
};

export async function runScheduled(env: Env, now = new Date()): Promise<Record<string, unknown>> {
  const report: Record<string, unknown> = {};
  for (const [name, sweep] of Object.entries(SWEEPS)) {
    try {
      report[name] = await sweep(env, now);
    } catch (error) {
      report[name] = { failed: (error as Error).name };
    }
  }
  console.log(JSON.stringify({ event: "scheduled", ...report }));
  return report;
}
