// Issue 3 figure 4 and issue 16's memory target: peak memory of a 31-day and a 90-day upload, through the streamed
// route reader and through the whole-buffer path (bench/memory.ts, in V8 under Node with --expose-gc: workerd exposes
// no heap statistics, and its process RSS counts every isolate and uncollected garbage). Each run in its own process.
import { spawnSync } from "node:child_process";

export const name = "memory";

function measure(path, days) {
  const out = spawnSync(
    process.execPath,
    [
      "--expose-gc",
      "--import",
      "tsx",
      "--import",
      "./scripts/openapi/register.mjs",
      "bench/memory.ts",
      path,
      String(days),
    ],
    { encoding: "utf8" },
  );
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout.trim().split("\n").pop());
}

export function run() {
  const runs = [];
  for (const path of ["streamed", "whole"]) for (const days of [31, 90]) runs.push(measure(path, days));
  return { runs, isolateLimitMiB: 128 };
}
